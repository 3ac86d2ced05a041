// Command kstatus prints what Flux's health assessment (sigs.k8s.io/cli-utils/pkg/kstatus) says of
// Kubernetes objects: one line "<status> <name> <message>" per object read from the YAML or JSON
// files named (or from stdin: a single object or a List, e.g. kubectl get ftpserver -o json).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

func main() {
	inputs := os.Args[1:]
	if len(inputs) == 0 {
		inputs = []string{"-"}
	}
	failed := false
	for _, input := range inputs {
		var data []byte
		var err error
		if input == "-" {
			data, err = io.ReadAll(os.Stdin)
		} else {
			data, err = os.ReadFile(input)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		decoder := yaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
		for {
			var raw json.RawMessage
			if err := decoder.Decode(&raw); err == io.EOF {
				break
			} else if err != nil {
				fmt.Fprintln(os.Stderr, input+":", err)
				os.Exit(2)
			}
			if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
				continue
			}
			// through the unstructured JSON decoder, so integers stay int64 as kstatus expects
			var obj unstructured.Unstructured
			if err := obj.UnmarshalJSON(raw); err != nil {
				fmt.Fprintln(os.Stderr, input+":", err)
				os.Exit(2)
			}
			objects := []unstructured.Unstructured{obj}
			if obj.IsList() {
				list, err := obj.ToList()
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				objects = list.Items
			}
			for i := range objects {
				result, err := status.Compute(&objects[i])
				if err != nil {
					fmt.Fprintln(os.Stderr, objects[i].GetName()+":", err)
					failed = true
					continue
				}
				fmt.Printf("%s %s %s\n", result.Status, objects[i].GetName(), result.Message)
			}
		}
	}
	if failed {
		os.Exit(1)
	}
}
