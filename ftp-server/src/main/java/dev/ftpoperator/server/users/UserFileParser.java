package dev.ftpoperator.server.users;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads one user file: the first line is the password (plain, bcrypt or PBKDF2); further optional
 * lines are {@code readonly=true} and {@code home=<dir relative to the data root>}. Blank lines and
 * {@code #} comments are skipped.
 */
final class UserFileParser {

  private final Path dataDir;

  UserFileParser(Path dataDir) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
  }

  UserAccount parse(String name, List<String> lines) {
    if (lines.isEmpty() || lines.get(0).isEmpty()) {
      throw new IllegalArgumentException(
          "user file '" + name + "' has no password on its first line");
    }
    // a Secret value written with a trailing newline or CRLF must still match
    String password = lines.get(0).stripTrailing();
    boolean readOnly = false;
    Path home = dataDir.resolve(name);
    for (String line : lines.subList(1, lines.size())) {
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "user file '" + name + "': expected key=value, got '" + trimmed + "'");
      }
      String key = trimmed.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = trimmed.substring(eq + 1).trim();
      switch (key) {
        case "readonly" -> readOnly = Boolean.parseBoolean(value);
        case "home" -> home = homeUnderDataDir(name, value);
        default ->
            throw new IllegalArgumentException(
                "user file '" + name + "': unknown key '" + key + "'");
      }
    }
    return new UserAccount(name, new PasswordCheck(password), readOnly, home);
  }

  private Path homeUnderDataDir(String name, String relative) {
    Path home =
        dataDir.resolve(relative.startsWith("/") ? relative.substring(1) : relative).normalize();
    if (!home.startsWith(dataDir)) {
      throw new IllegalArgumentException(
          "user file '" + name + "': home must stay under the data root, got '" + relative + "'");
    }
    return home;
  }
}
