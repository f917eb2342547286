package dev.kgadget.daemon.gadgets;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatedTextTest {
    /** A record with {@code text} NUL-terminated in a 32-byte field at offset 8. */
    private static ByteBuffer record(String text) {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        b.put(8, bytes);
        return b;
    }

    @Test
    void handsBackTheSameStringWhileTheBytesRepeat() {
        RepeatedText text = new RepeatedText(2);
        String first = text.cString(0, record("/tmp/kgx.txt"), 8, 32);
        String again = text.cString(0, record("/tmp/kgx.txt"), 8, 32);
        assertThat(first).isEqualTo("/tmp/kgx.txt");
        assertThat(again).isSameAs(first);
    }

    @Test
    void readsAfreshWhenTheBytesChangeEvenAtTheSameLength() {
        RepeatedText text = new RepeatedText(1);
        String a = text.cString(0, record("/tmp/aaa"), 8, 32);
        String b = text.cString(0, record("/tmp/aab"), 8, 32);
        String longer = text.cString(0, record("/var/lib/kubelet/pods/x"), 8, 32);
        String shorter = text.cString(0, record("/x"), 8, 32);
        assertThat(a).isEqualTo("/tmp/aaa");
        assertThat(b).isEqualTo("/tmp/aab");
        assertThat(longer).isEqualTo("/var/lib/kubelet/pods/x");
        assertThat(shorter).isEqualTo("/x");
        assertThat(text.cString(0, record(""), 8, 32)).isEmpty();
    }

    @Test
    void keepsEachFieldApartAndStopsAtTheFieldsBound() {
        RepeatedText text = new RepeatedText(2);
        String comm = text.cString(0, record("kgwork"), 8, 32);
        String path = text.cString(1, record("kgwork-data"), 8, 32);
        assertThat(comm).isEqualTo("kgwork");
        assertThat(path).isEqualTo("kgwork-data");
        assertThat(text.cString(0, record("kgwork"), 8, 32)).isSameAs(comm);
        // no NUL within the bound: the field's bytes up to it
        assertThat(text.cString(1, record("0123456789"), 8, 4)).isEqualTo("0123");
        assertThat(text.text(1, record("héllo"), 8, 6)).isEqualTo("héllo");
    }
}
