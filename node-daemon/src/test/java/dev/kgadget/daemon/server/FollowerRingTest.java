package dev.kgadget.daemon.server;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The follower's byte ring: entries come out whole and in order across many wraps, and it never holds more than its bytes. */
class FollowerRingTest {
    private record Entry(long seq, long cgroupId, byte[] json) {
    }

    @Test
    void entriesOfEveryLengthComeOutWholeAndInOrderAcrossWraps() {
        FollowerRing ring = new FollowerRing(1000);
        Random random = new Random(42);
        List<Entry> queued = new ArrayList<>();
        List<Entry> taken = new ArrayList<>();
        long seq = 0;
        int refused = 0;
        for (int round = 0; round < 5_000; round++) {
            int len = 1 + random.nextInt(300);
            byte[] json = new byte[len];
            random.nextBytes(json);
            seq++;
            if (ring.offer(seq, seq * 31, json, len)) {
                queued.add(new Entry(seq, seq * 31, json));
            } else {
                refused++;
            }
            if (random.nextInt(3) == 0) { // the taker runs now and then, and sometimes stops early
                int most = random.nextInt(4);
                int[] n = {0};
                ring.take((s, c, data, off, l) -> {
                    if (n[0]++ == most) {
                        return false;
                    }
                    taken.add(new Entry(s, c, Arrays.copyOfRange(data, off, off + l)));
                    return true;
                });
            }
        }
        ring.take((s, c, data, off, l) -> taken.add(new Entry(s, c, Arrays.copyOfRange(data, off, off + l))));
        assertThat(ring.isEmpty()).isTrue();
        assertThat(refused).isPositive(); // it did fill up
        assertThat(taken).hasSameSizeAs(queued);
        for (int i = 0; i < queued.size(); i++) {
            assertThat(taken.get(i).seq()).isEqualTo(queued.get(i).seq());
            assertThat(taken.get(i).cgroupId()).isEqualTo(queued.get(i).cgroupId());
            assertThat(taken.get(i).json()).isEqualTo(queued.get(i).json());
        }
    }

    @Test
    void itHoldsWhatFitsInItsBytesAndRefusesTheRest() {
        int entry = FollowerRing.HEADER + 30;
        FollowerRing ring = new FollowerRing(3 * entry + 10);
        byte[] json = new byte[30];
        assertThat(ring.offer(1, 0, json, 30)).isTrue();
        assertThat(ring.offer(2, 0, json, 30)).isTrue();
        assertThat(ring.offer(3, 0, json, 30)).isTrue();
        assertThat(ring.offer(4, 0, json, 30)).isFalse();
        assertThat(ring.offer(5, 0, new byte[3 * entry], 3 * entry)).isFalse(); // larger than the whole ring
        assertThat(ring.discard()).isEqualTo(3);
        // the next entry would cross the end: it starts again at 0, and the 10 bytes left are skipped
        assertThat(ring.offer(6, 0, json, 30)).isTrue();
        List<Long> seqs = new ArrayList<>();
        assertThat(ring.take((s, c, d, o, l) -> seqs.add(s))).isEqualTo(1);
        assertThat(seqs).containsExactly(6L);
        assertThatThrownBy(() -> new FollowerRing(FollowerRing.HEADER)).isInstanceOf(IllegalArgumentException.class);
    }
}
