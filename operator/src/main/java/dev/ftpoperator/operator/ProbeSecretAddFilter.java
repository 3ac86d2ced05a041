package dev.ftpoperator.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnAddFilter;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's Secret informer passes on no ADD of a probe Secret: the reconcile that creates one
 * (outside the workflow, see {@link ProbeSecret}) goes on with it, so the event would only
 * reconcile that FtpServer a second time. java-operator-sdk cannot tell it is that reconcile's own:
 * its temporary cache skips a created object that the informer stored before the create's response
 * came back. Deleting a probe Secret still reconciles its FtpServer, which makes it again.
 */
public class ProbeSecretAddFilter implements OnAddFilter<Secret> {

  @Override
  public boolean accept(Secret secret) {
    return !Names.COMPONENT_PROBE.equals(
        Optional.ofNullable(secret.getMetadata().getLabels())
            .orElse(Map.of())
            .get(Names.LABEL_COMPONENT));
  }
}
