package dev.ftpoperator.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Operator-level settings: application.properties, or the environment (FTP_OPERATOR_SERVER_IMAGE,
 * FTP_OPERATOR_DEFAULT_RESOURCES_REQUESTS_CPU, ...). Watched namespaces are Quarkus Operator SDK's
 * own setting: quarkus.operator-sdk.namespaces (env QUARKUS_OPERATOR_SDK_NAMESPACES).
 */
@ConfigMapping(prefix = "ftp.operator")
public interface FtpOperatorConfig {

  /** Image of the FTP server pods when an FtpServer does not name one. */
  @WithDefault(OperatorSettings.DEFAULT_SERVER_IMAGE)
  String serverImage();

  /** Resources of the FTP server container when an FtpServer does not set spec.resources. */
  Resources defaultResources();

  interface Resources {
    Amounts requests();

    Amounts limits();
  }

  interface Amounts {
    Optional<String> cpu();

    Optional<String> memory();
  }
}
