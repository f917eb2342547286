package dev.kgadget.daemon.server;

import java.nio.ByteBuffer;

/**
 * The encoded events a follower has not sent yet, in one byte array: bounded in bytes, and
 * nothing allocated per event. One thread appends (the gadget's drain thread, under the job's
 * lock) and one takes (the follower's sender, under the follower's lock); the two positions are
 * the only shared state, each written by one side.
 *
 * <p>An entry is its header (the JSON's length, the event's seq and cgroup id) and its JSON, in
 * one piece: an entry that would cross the array's end starts again at 0, and the space left at
 * the end is skipped (marked when the header's first field fits there).
 */
final class FollowerRing {
    static final int HEADER = Integer.BYTES + 2 * Long.BYTES;
    private static final int SKIP = -1;

    /** What the taker does with one entry. */
    interface Taker {
        /** @return false to leave this entry (and the rest) for the next take */
        boolean take(long seq, long cgroupId, byte[] data, int offset, int length);
    }

    private final byte[] data;
    private final ByteBuffer view;
    /** Byte positions since the start, never wrapped: tail - head is what is queued. */
    private volatile long head;
    private volatile long tail;

    FollowerRing(int capacityBytes) {
        if (capacityBytes < HEADER + 2) {
            throw new IllegalArgumentException("a follower's buffer of " + capacityBytes + " bytes holds no event");
        }
        data = new byte[capacityBytes];
        view = ByteBuffer.wrap(data);
    }

    int capacity() {
        return data.length;
    }

    /** Appends an entry; false when it does not fit in what is free (the caller drops the event). */
    boolean offer(long seq, long cgroupId, byte[] json, int length) {
        long t = tail;
        int at = index(t);
        int need = HEADER + length;
        int skip = data.length - at < need ? data.length - at : 0;
        if ((long) skip + need > data.length - (t - head)) {
            return false;
        }
        if (skip > 0) {
            if (skip >= Integer.BYTES) {
                view.putInt(at, SKIP);
            }
            at = 0;
        }
        view.putInt(at, length).putLong(at + Integer.BYTES, seq).putLong(at + Integer.BYTES + Long.BYTES, cgroupId);
        System.arraycopy(json, 0, data, at + HEADER, length);
        tail = t + skip + need; // publishes the entry
        return true;
    }

    /** Hands entries to {@code taker} in order until it declines one or none is left; frees what it took. */
    int take(Taker taker) {
        long h = head;
        long t = tail;
        int taken = 0;
        while (h < t) {
            int at = index(h);
            int left = data.length - at;
            if (left < HEADER || view.getInt(at) == SKIP) {
                h += left;
                continue;
            }
            int length = view.getInt(at);
            if (!taker.take(view.getLong(at + Integer.BYTES), view.getLong(at + Integer.BYTES + Long.BYTES), data,
                    at + HEADER, length)) {
                break;
            }
            h += HEADER + length;
            taken++;
        }
        head = h;
        return taken;
    }

    /** Drops everything queued (taker's side); returns how many events that was. */
    int discard() {
        return take((seq, cgroupId, d, offset, length) -> true);
    }

    boolean isEmpty() {
        return head == tail;
    }

    private int index(long position) {
        return (int) (position % data.length);
    }
}
