package dev.ftpoperator.operator;

import dev.ftpoperator.api.v1alpha1.PassivePorts;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of the passive range one pod of a replicated FtpServer offers in its PASV/EPSV replies.
 * The formula is the operator/ftp-server contract (both sides compute it): with P ports from min
 * and N replicas, pod k owns [min + floor(k*P/N), min + floor((k+1)*P/N) - 1]. The slices are
 * disjoint, cover the range, and differ in size by at most one port.
 *
 * @param ordinal the pod's ordinal k
 * @param min first port of the slice
 * @param max last port, inclusive
 */
public record PassiveSlice(int ordinal, int min, int max) {

  /** Every pod's slice, ordinal 0 first. */
  public static List<PassiveSlice> of(PassivePorts range, int replicas) {
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be at least 1, not " + replicas);
    }
    long ports = range.count();
    List<PassiveSlice> slices = new ArrayList<>(replicas);
    for (int k = 0; k < replicas; k++) {
      int first = range.getMin() + (int) (k * ports / replicas);
      int last = range.getMin() + (int) ((k + 1) * ports / replicas) - 1;
      slices.add(new PassiveSlice(k, first, last));
    }
    return slices;
  }

  public int count() {
    return max - min + 1;
  }

  /** As the status shows it: {@code min-max}. */
  @Override
  public String toString() {
    return min + "-" + max;
  }
}
