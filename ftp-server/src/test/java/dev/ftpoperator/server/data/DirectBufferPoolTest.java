package dev.ftpoperator.server.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DirectBufferPoolTest {

  @Test
  void givesBackClearedDirectBuffersAndKeepsNoMoreThanItsBound() {
    DirectBufferPool pool = new DirectBufferPool(1024, 2);
    ByteBuffer a = pool.take();
    ByteBuffer b = pool.take();
    ByteBuffer c = pool.take();
    assertThat(a.isDirect()).isTrue();
    assertThat(a.capacity()).isEqualTo(1024);
    a.put((byte) 1);
    pool.give(a);
    pool.give(b);
    pool.give(c); // beyond the bound: dropped for the garbage collector

    ByteBuffer again = pool.take();
    assertThat(again).isSameAs(a);
    assertThat(again.position()).isZero();
    assertThat(again.remaining()).isEqualTo(1024);
    assertThat(pool.take()).isSameAs(b);
    assertThat(pool.take()).isNotSameAs(c).isNotSameAs(a).isNotSameAs(b);
  }
}
