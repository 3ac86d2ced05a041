package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.ServiceType;
import dev.ftpoperator.operator.selftest.ProbeTarget;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Optional;

/** What the self-test of an FtpServer probes, from the resolved view: pure. */
final class SelfTestTargets {

  private SelfTestTargets() {}

  /**
   * The target: the advertised endpoint, the declared range, the probe's identity and, behind a
   * load balancer or node port (or a spec.passiveAddress), the ClusterIP to tell "no hairpin" from
   * "down" and to ask a server whose address is a documentation one, and the source ranges that may
   * keep the operator out. Empty when the self-test is off or the address or the probe password is
   * not known yet.
   */
  static Optional<ProbeTarget> of(
      ResolvedFtpServer ftp, Optional<Service> service, Optional<String> password) {
    if (!ftp.selfTestEnabled() || ftp.address().isEmpty() || password.isEmpty()) {
      return Optional.empty();
    }
    var address = ftp.address().get();
    Optional<ProbeTarget.HostPort> inCluster =
        service
            .map(s -> s.getSpec().getClusterIP())
            .filter(ip -> ip != null && !ip.isBlank() && !"None".equals(ip))
            .filter(ip -> !ip.equals(address.address()))
            .map(ip -> new ProbeTarget.HostPort(ip, ftp.servicePort()));
    List<String> sourceRanges =
        ftp.serviceType() == ServiceType.LoadBalancer
                && ftp.spec().getService().getLoadBalancerSourceRanges() != null
            ? List.copyOf(ftp.spec().getService().getLoadBalancerSourceRanges())
            : List.of();
    return Optional.of(
        new ProbeTarget(
            address.address(),
            address.port(),
            tls(ftp),
            ftp.passivePorts().getMin(),
            ftp.passivePorts().getMax(),
            ProbeSecret.USER,
            password.get(),
            inCluster,
            ftp.settings().selfTest().timeout(),
            sourceRanges));
  }

  static ProbeTarget.Tls tls(ResolvedFtpServer ftp) {
    return ftp.tlsMode()
        .map(
            m ->
                switch (m) {
                  case Explicit -> ProbeTarget.Tls.EXPLICIT;
                  case Required -> ProbeTarget.Tls.REQUIRED;
                  case Implicit -> ProbeTarget.Tls.IMPLICIT;
                })
        .orElse(ProbeTarget.Tls.NONE);
  }

  /** A server pod is available: probing anything less only counts failures. */
  static boolean serving(Optional<Deployment> deployment, Optional<StatefulSet> statefulSet) {
    return deployment
            .map(Deployment::getStatus)
            .map(s -> s.getAvailableReplicas() != null && s.getAvailableReplicas() > 0)
            .orElse(false)
        || statefulSet
            .map(StatefulSet::getStatus)
            .map(s -> s.getAvailableReplicas() != null && s.getAvailableReplicas() > 0)
            .orElse(false);
  }
}
