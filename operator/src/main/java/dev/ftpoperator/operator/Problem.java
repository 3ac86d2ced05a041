package dev.ftpoperator.operator;

/** Something outside the FtpServer that blocks it, e.g. a Secret it names is missing. */
public record Problem(Reason reason, String message) {}
