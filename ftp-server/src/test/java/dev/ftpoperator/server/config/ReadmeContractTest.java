package dev.ftpoperator.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** ftp-server/README.md's table of variables is the contract in {@link Variable}, word for word. */
class ReadmeContractTest {

  private static final Pattern ROW = Pattern.compile("^\\| `(FTP_[A-Z0-9_]+)` \\| ([^|]*) \\|");

  static Map<String, String> documented() throws IOException {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        rows.put(m.group(1), m.group(2).trim());
      }
    }
    return rows;
  }

  @Test
  void theReadmeDocumentsEveryVariableAndNoOther() throws IOException {
    assertThat(documented().keySet())
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(Variable.values()).map(Enum::name).collect(Collectors.toList()));
  }

  @Test
  void theReadmeGivesEveryLiteralDefaultAsTheServerHasIt() throws IOException {
    Map<String, String> documented = documented();
    for (Variable v : Variable.values()) {
      v.defaultValue()
          .ifPresent(
              d -> assertThat(documented.get(v.name())).as(v.name()).isEqualTo("`" + d + "`"));
    }
  }
}
