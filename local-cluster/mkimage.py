#!/usr/bin/env python3
"""Writes a single-layer image as a Docker-format archive (the `docker save` layout).

Jib accepts such an archive as a `tar://` base image, and `ctr images import` reads it.
No Docker daemon, no registry: just manifest.json, the image config and one layer tar.

    mkimage.py --tag localhost/x/y:1 --out image.tar (--layer rootfs.tar | --dir rootfs/)
               [--entrypoint /bin/x --entrypoint arg] [--cmd c] [--env K=V] [--workdir /] [--user 0]
"""
import argparse
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile

DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def layer_from_dir(directory, dest):
    """Tar a directory with relative paths, owned by root, with a fixed mtime (reproducible)."""
    def norm(info):
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        info.mtime = 0
        return info

    with tarfile.open(dest, "w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(os.listdir(directory)):
            tar.add(os.path.join(directory, name), arcname=name, filter=norm)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tag", required=True)
    p.add_argument("--out", required=True)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--layer", help="an uncompressed tar of the root filesystem")
    src.add_argument("--dir", help="a directory to use as the root filesystem")
    p.add_argument("--entrypoint", action="append", default=None)
    p.add_argument("--cmd", action="append", default=None)
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--workdir", default=None)
    p.add_argument("--user", default=None)
    p.add_argument("--arch", default="amd64")
    a = p.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        layer = a.layer
        if a.dir:
            layer = os.path.join(tmp, "layer.tar")
            layer_from_dir(a.dir, layer)
        diff_id = sha256_file(layer)

        env = list(a.env)
        if not any(e.startswith("PATH=") for e in env):
            env.insert(0, DEFAULT_PATH)
        cfg = {"Env": env}
        if a.entrypoint:
            cfg["Entrypoint"] = a.entrypoint
        if a.cmd:
            cfg["Cmd"] = a.cmd
        if a.workdir:
            cfg["WorkingDir"] = a.workdir
        if a.user:
            cfg["User"] = a.user
        config = {
            "architecture": a.arch,
            "os": "linux",
            "created": "1970-01-01T00:00:00Z",
            "config": cfg,
            "rootfs": {"type": "layers", "diff_ids": ["sha256:" + diff_id]},
            "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "local-cluster/mkimage.py"}],
        }
        config_bytes = json.dumps(config, separators=(",", ":"), sort_keys=True).encode()
        config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
        layer_name = diff_id + "/layer.tar"
        manifest = [{"Config": config_name, "RepoTags": [a.tag], "Layers": [layer_name]}]
        repo, _, tag = a.tag.rpartition(":")
        repositories = {repo: {tag: diff_id}}

        part = a.out + ".part"
        with tarfile.open(part, "w", format=tarfile.PAX_FORMAT) as tar:
            add_bytes(tar, config_name, config_bytes)
            info = tar.gettarinfo(layer, arcname=layer_name)
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.mode = 0o644
            with open(layer, "rb") as f:
                tar.addfile(info, f)
            add_bytes(tar, "manifest.json", json.dumps(manifest).encode())
            add_bytes(tar, "repositories", json.dumps(repositories).encode())
        shutil.move(part, a.out)
    print(a.out)


if __name__ == "__main__":
    main()
