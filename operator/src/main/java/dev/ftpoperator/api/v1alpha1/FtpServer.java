package dev.ftpoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An FTP server run by the operator: a Deployment (one replica) or a StatefulSet (several) of the
 * bundled server behind a Service that exposes the control port and every passive port, with the
 * public address injected.
 */
@Group(FtpServer.GROUP)
@Version(FtpServer.VERSION)
@Kind("FtpServer")
@Plural("ftpservers")
@Singular("ftpserver")
@ShortNames("ftp")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Verified",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"TransferVerified\")].reason")
@AdditionalPrinterColumn(
    name = "Endpoint",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.endpoint")
@AdditionalPrinterColumn(
    name = "Passive ports",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.passivePorts")
@AdditionalPrinterColumn(
    name = "Replicas",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".spec.replicas")
@AdditionalPrinterColumn(
    name = "Ready pods",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.readyReplicas")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class FtpServer extends CustomResource<FtpServerSpec, FtpServerStatus>
    implements Namespaced {

  public static final String GROUP = "ftp.operator.dev";
  public static final String VERSION = "v1alpha1";
  public static final String CRD_NAME = "ftpservers." + GROUP;

  @Override
  @JsonPropertyDescription(
      "The FTP server to run: users, passive port range, how it is exposed, storage, TLS.")
  public FtpServerSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator observed: public address, endpoint, conditions (AddressAssigned,"
          + " Available, TransferVerified, Ready), the self-test's last success.")
  public FtpServerStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected FtpServerSpec initSpec() {
    return new FtpServerSpec();
  }
}
