package dev.ftpoperator.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasvCommandTest {

  @Test
  void hostPortWritesAddressBytesUnsignedAndThePortAsHighAndLowByte() {
    byte[] ip = {(byte) 203, 0, 113, (byte) 250};

    assertThat(PasvCommand.hostPort(ip, 30123)).isEqualTo("203,0,113,250,117,171");
    assertThat(PasvCommand.hostPort(ip, 255)).isEqualTo("203,0,113,250,0,255");
    assertThat(PasvCommand.hostPort(ip, 65535)).isEqualTo("203,0,113,250,255,255");
  }
}
