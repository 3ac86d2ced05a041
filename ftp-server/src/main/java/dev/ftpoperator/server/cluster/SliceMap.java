package dev.ftpoperator.server.cluster;

import dev.ftpoperator.server.config.PassivePortRange;

/**
 * Which replica owns which passive port: the range of P ports is cut into N contiguous slices,
 * slice k = [min + floor(k*P/N), min + floor((k+1)*P/N) - 1] (the operator computes the same for
 * the status).
 */
public record SliceMap(PassivePortRange range, int replicas) {

  public SliceMap {
    if (replicas < 1 || range.size() < replicas) {
      throw new IllegalArgumentException(
          "cannot cut " + range.size() + " passive ports into " + replicas + " slices");
    }
  }

  public PassivePortRange slice(int ordinal) {
    if (ordinal < 0 || ordinal >= replicas) {
      throw new IllegalArgumentException("no slice " + ordinal + " among " + replicas);
    }
    return new PassivePortRange(start(ordinal), start(ordinal + 1) - 1);
  }

  /** The ordinal whose slice holds {@code port}. */
  public int owner(int port) {
    if (port < range.min() || port > range.max()) {
      throw new IllegalArgumentException("port " + port + " is outside " + range);
    }
    int guess = (int) ((long) (port - range.min()) * replicas / range.size());
    // integer rounding can put the guess one slice off either way
    while (guess > 0 && start(guess) > port) {
      guess--;
    }
    while (guess + 1 < replicas && start(guess + 1) <= port) {
      guess++;
    }
    return guess;
  }

  private int start(int ordinal) {
    return range.min() + (int) ((long) ordinal * range.size() / replicas);
  }
}
