package dev.kgadget.daemon.libbpf;

import com.sun.jna.Pointer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Consumes a BPF ring buffer map through mmap, in pure Java: one JNA call per mapping, none
 * per event (a JNA callback per event costs ~1 µs and drops events at ~1M/s).
 *
 * <p>Kernel layout: page 0 holds the consumer position (mapped read-write), page 1 the
 * producer position, followed by the data area. Each record starts with an 8-byte header:
 * u32 length with BUSY (bit 31: still being written) and DISCARD (bit 30) flags, then u32
 * page offset. Records are 8-byte aligned, so a header never wraps around the end.
 *
 * <p>The kernel offers the data area twice in a row so a record that wraps is contiguous, and
 * libbpf maps both copies; every page then counts twice in the resident set (a busy 8 MiB ring
 * costs 16 MiB of RSS). This maps the data once and copies the rare wrapping record instead.
 */
public final class RingBuffer implements AutoCloseable {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final int BUSY = 1 << 31;
    private static final int DISCARD = 1 << 30;
    private static final int HEADER = 8;
    private static final int BPF_MAP_TYPE_RINGBUF = 27;

    /** Receives one record; the buffer is only valid during the call (absolute reads only). */
    @FunctionalInterface
    public interface RecordHandler {
        void onRecord(ByteBuffer data, int offset, int length);
    }

    private final int pageSize;
    private final long dataSize;
    private final long mask;
    private Pointer consumerMapping;
    private Pointer producerMapping;
    private final ByteBuffer consumer;
    private final ByteBuffer producer;
    private long consumerPos;
    /** A wrapping record, reassembled; grown on demand, so allocation-free once warm. */
    private ByteBuffer wrapped = ByteBuffer.allocate(0);

    private RingBuffer(int fd, long dataSize) {
        this.pageSize = LibC.INSTANCE.getpagesize();
        this.dataSize = dataSize;
        this.mask = dataSize - 1;
        consumerMapping = mmap(pageSize, LibC.PROT_READ | LibC.PROT_WRITE, fd, 0, "consumer page");
        try {
            producerMapping = mmap(pageSize + dataSize, LibC.PROT_READ, fd, pageSize, "producer pages");
        } catch (RuntimeException e) {
            LibC.INSTANCE.munmap(consumerMapping, pageSize);
            throw e;
        }
        consumer = consumerMapping.getByteBuffer(0, pageSize).order(ByteOrder.nativeOrder());
        producer = producerMapping.getByteBuffer(0, pageSize + dataSize).order(ByteOrder.nativeOrder());
        consumerPos = (long) LONG.getAcquire(consumer, 0);
    }

    public static RingBuffer open(BpfMap map) {
        return open(map.fd(), map.maxEntries());
    }

    /** The ring buffer map {@code fd} of {@code size} bytes; the fd stays the caller's. */
    public static RingBuffer open(int fd, int size) {
        long bytes = Integer.toUnsignedLong(size);
        if (Long.bitCount(bytes) != 1 || bytes + 4096 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ring buffer map " + fd + " has unusable size " + bytes);
        }
        return new RingBuffer(fd, bytes);
    }

    /** A new ring buffer map of {@code size} bytes (a power of two, at least a page): its fd, to close. */
    public static int create(String name, int size) {
        return Bpf.check(Bpf.lib().bpf_map_create(BPF_MAP_TYPE_RINGBUF, name, 0, 0, size, null),
                "create ring buffer " + name + " of " + size + " bytes");
    }

    private static Pointer mmap(long length, int prot, int fd, long offset, String what) {
        Pointer p = LibC.INSTANCE.mmap(null, length, prot, LibC.MAP_SHARED, fd, offset);
        if (p == null || Pointer.nativeValue(p) == LibC.MAP_FAILED) {
            throw new BpfException("mmap ring buffer " + what, com.sun.jna.Native.getLastError(), null);
        }
        return p;
    }

    /**
     * Hands every committed record to the handler and frees its space.
     *
     * @return records handed over (discarded records are skipped, not counted)
     */
    public int drain(RecordHandler handler) {
        long producerPos = (long) LONG.getAcquire(producer, 0);
        int handed = 0;
        long cons = consumerPos;
        while (cons < producerPos) {
            int at = pageSize + (int) (cons & mask);
            int header = (int) INT.getAcquire(producer, at);
            if ((header & BUSY) != 0) {
                break;
            }
            int length = header & ~(BUSY | DISCARD);
            if ((header & DISCARD) == 0) {
                int start = at + HEADER;
                int end = pageSize + (int) dataSize;
                if (start + length <= end) {
                    handler.onRecord(producer, start, length);
                } else {
                    handler.onRecord(reassemble(start, end, length), 0, length);
                }
                handed++;
            }
            cons += (length + HEADER + 7) & ~7L;
            // publish per record so the producer can reuse space while a long batch is drained
            LONG.setRelease(consumer, 0, cons);
        }
        consumerPos = cons;
        return handed;
    }

    /** The record's tail is at the start of the data area. */
    private ByteBuffer reassemble(int start, int end, int length) {
        if (wrapped.capacity() < length) {
            wrapped = ByteBuffer.allocate(Math.max(length, 256)).order(ByteOrder.nativeOrder());
        }
        int head = end - start; // 0 when the header ends exactly at the end of the area
        wrapped.put(0, producer, start, head);
        wrapped.put(head, producer, pageSize, length - head);
        return wrapped;
    }

    /** Bytes committed but not yet consumed. */
    public long pending() {
        return (long) LONG.getAcquire(producer, 0) - consumerPos;
    }

    public long capacity() {
        return dataSize;
    }

    @Override
    public synchronized void close() {
        if (producerMapping != null) {
            LibC.INSTANCE.munmap(producerMapping, pageSize + dataSize);
            producerMapping = null;
        }
        if (consumerMapping != null) {
            LibC.INSTANCE.munmap(consumerMapping, pageSize);
            consumerMapping = null;
        }
    }
}
