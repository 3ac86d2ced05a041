package dev.ftpoperator.server.config;

/**
 * The passive data ports, `min-max` inclusive, as the operator declares them on the container and
 * the Service.
 */
public record PassivePortRange(int min, int max) {

  public PassivePortRange {
    if (min < 1 || max > 65535 || min > max) {
      throw new IllegalArgumentException(
          "passive port range must be 1..65535 with min <= max, got " + min + "-" + max);
    }
  }

  /** Parses `30000-30009` (or a single port `30000`). */
  public static PassivePortRange parse(String text) {
    String trimmed = text.trim();
    int dash = trimmed.indexOf('-');
    try {
      if (dash < 0) {
        int port = Integer.parseInt(trimmed);
        return new PassivePortRange(port, port);
      }
      return new PassivePortRange(
          Integer.parseInt(trimmed.substring(0, dash).trim()),
          Integer.parseInt(trimmed.substring(dash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "passive ports must look like 30000-30009, got '" + text + "'");
    }
  }

  public int size() {
    return max - min + 1;
  }

  @Override
  public String toString() {
    return min + "-" + max;
  }
}
