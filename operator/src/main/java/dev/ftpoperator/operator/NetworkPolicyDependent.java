package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.FtpServer;
import dev.ftpoperator.api.v1alpha1.NetworkPolicySpec;
import dev.ftpoperator.api.v1alpha1.PassivePorts;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The NetworkPolicy of an FtpServer that asks for one (spec.networkPolicy.enabled) or runs several
 * replicas: its pods admit only the rules below, one ingress rule per kind of traffic. A replicated
 * FtpServer's relay port is admitted from its own pods only; without spec.networkPolicy the other
 * ports stay open to everyone, as they are without a policy. When neither asks for it, the policy
 * is deleted.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = Names.MANAGED_SELECTOR,
            itemStore = StoreSharingManagedFields.class,
            informerListLimit = FtpServerReconciler.LIST_PAGE))
public class NetworkPolicyDependent
    extends CRUDKubernetesDependentResource<NetworkPolicy, FtpServer> {

  public NetworkPolicyDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  protected NetworkPolicy desired(FtpServer primary, Context<FtpServer> context) {
    return desired(ResolvedFtpServer.of(context));
  }

  public static NetworkPolicy desired(ResolvedFtpServer ftp) {
    NetworkPolicy policy =
        new NetworkPolicyBuilder()
            .withMetadata(
                Names.meta(
                    ftp.ftp(), Names.networkPolicy(ftp.ftp()), Names.COMPONENT_NETWORK_POLICY))
            .withNewSpec()
            .withNewPodSelector()
            .withMatchLabels(Names.selector(ftp.ftp()))
            .endPodSelector()
            .withPolicyTypes("Ingress")
            .withIngress(rules(ftp))
            .endSpec()
            .build();
    return Names.owned(policy, ftp.ftp());
  }

  static List<NetworkPolicyIngressRule> rules(ResolvedFtpServer ftp) {
    List<NetworkPolicyIngressRule> rules = new ArrayList<>();
    rules.add(ftpClients(ftp));
    Optional<NetworkPolicySpec> asked = ftp.networkPolicy();
    if (asked.isEmpty()) {
      // only the relay asked for a policy: health and metrics stay open as without one
      rules.add(
          new NetworkPolicyIngressRuleBuilder()
              .withPorts(tcp(PassivePorts.HTTP_PORT, null))
              .build());
    }
    asked
        .map(NetworkPolicySpec::getMetricsFrom)
        .ifPresent(
            namespaces ->
                rules.add(
                    new NetworkPolicyIngressRuleBuilder()
                        .withFrom(
                            new NetworkPolicyPeerBuilder()
                                .withNamespaceSelector(namespaces)
                                .build())
                        .withPorts(tcp(PassivePorts.HTTP_PORT, null))
                        .build()));
    if (ftp.replicated()) {
      // peers relay data connections and failed logins to each other; nobody else may
      rules.add(
          new NetworkPolicyIngressRuleBuilder()
              .withFrom(
                  new NetworkPolicyPeerBuilder()
                      .withNewPodSelector()
                      .withMatchLabels(Names.selector(ftp.ftp()))
                      .endPodSelector()
                      .build())
              .withPorts(tcp(Names.RELAY_PORT, null))
              .build());
    }
    return rules;
  }

  /**
   * Control and passive ports (the pod's: the Service maps them 1:1 but for 21 to 2121) from the
   * load balancer's source ranges when spec.networkPolicy asks, else from anywhere. The client's
   * address reaches the pod with externalTrafficPolicy Local (the default); with Cluster it is a
   * node's, and ranges would block.
   */
  private static NetworkPolicyIngressRule ftpClients(ResolvedFtpServer ftp) {
    List<String> ranges =
        ftp.networkPolicy().isPresent() ? ftp.service().getLoadBalancerSourceRanges() : null;
    List<NetworkPolicyPeer> from =
        ranges == null
            ? List.of()
            : ranges.stream()
                .map(
                    cidr ->
                        new NetworkPolicyPeerBuilder()
                            .withNewIpBlock()
                            .withCidr(cidr)
                            .endIpBlock()
                            .build())
                .toList();
    PassivePorts passive = ftp.passivePorts();
    return new NetworkPolicyIngressRuleBuilder()
        .withFrom(from.isEmpty() ? null : from)
        .withPorts(
            tcp(PassivePorts.CONTROL_PORT, null),
            tcp(passive.getMin(), passive.getMax() > passive.getMin() ? passive.getMax() : null))
        .build();
  }

  private static NetworkPolicyPort tcp(int port, Integer endPort) {
    return new NetworkPolicyPortBuilder()
        .withProtocol("TCP")
        .withPort(new IntOrString(port))
        .withEndPort(endPort)
        .build();
  }

  /**
   * Reconcile precondition: when the FtpServer asks for a policy or relays between replicas (else
   * it is deleted).
   */
  public static class Wanted implements Condition<NetworkPolicy, FtpServer> {
    @Override
    public boolean isMet(
        DependentResource<NetworkPolicy, FtpServer> dependent,
        FtpServer ftp,
        Context<FtpServer> context) {
      ResolvedFtpServer view = ResolvedFtpServer.of(context);
      return view.networkPolicy().isPresent() || view.replicated();
    }
  }
}
