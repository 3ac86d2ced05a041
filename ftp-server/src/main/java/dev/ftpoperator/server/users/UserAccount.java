package dev.ftpoperator.server.users;

import java.nio.file.Path;

/** One user as read from the users directory: never printed with its password. */
public record UserAccount(String name, PasswordCheck password, boolean readOnly, Path home) {

  @Override
  public String toString() {
    return "UserAccount[" + name + ", readOnly=" + readOnly + ", home=" + home + "]";
  }
}
