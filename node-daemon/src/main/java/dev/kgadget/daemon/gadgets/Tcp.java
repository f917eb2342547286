package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.result.EventBuffer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * tcpconnect, tcpaccept and tcplife: one BPF object ({@code tcp.bpf.o}) whose {@code targ_mode}
 * picks the events; decodes struct kg_tcp_event (bpf/include/gadgets.h).
 */
final class Tcp implements Gadget {
    private final GadgetDescriptor descriptor;
    private final int mode;

    private Tcp(GadgetDescriptor descriptor, int mode) {
        this.descriptor = descriptor;
        this.mode = mode;
    }

    static Tcp connect() {
        return new Tcp(GadgetCatalog.TCPCONNECT, 0);
    }

    static Tcp accept() {
        return new Tcp(GadgetCatalog.TCPACCEPT, 1);
    }

    static Tcp life() {
        return new Tcp(GadgetCatalog.TCPLIFE, 2);
    }

    /** Its own object (the retransmit tracepoint), the same record. */
    static Tcp retrans() {
        return new Tcp(GadgetCatalog.TCPRETRANS, 3);
    }

    /** TCP states (include/net/tcp_states.h), from 1. */
    private static final java.util.List<String> STATES = java.util.List.of("?", "ESTABLISHED", "SYN_SENT", "SYN_RECV",
            "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV");

    @Override
    public GadgetDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public String objectResource() {
        return mode == 3 ? "kgadget/bpf/tcpretrans.bpf.o" : "kgadget/bpf/tcp.bpf.o";
    }

    @Override
    public Map<String, Object> rodata(GadgetParams p) {
        return mode == 3 ? Map.of() : Map.of("targ_mode", mode, "targ_port", (int) p.integer("port"));
    }

    @Override
    public EventDecoder eventDecoder(GadgetParams params) {
        return Tcp::decode;
    }

    static void decode(ByteBuffer d, int o, int length, EventBuffer f) {
        int family = Short.toUnsignedInt(d.getShort(o + 44));
        int kind = Byte.toUnsignedInt(d.get(o + 50));
        f.putTime("time", Records.monotonicToEpochNanos(d.getLong(o)));
        // a retransmit is seen in softirq context: no process to name
        if (kind != 3) {
            f.putLong("pid", Records.u32(d, o + 40));
            f.put("comm", Records.cString(d, o + 88, 16));
        }
        f.putInt("ip", family == 10 ? 6 : 4);
        f.put("laddr", address(d, o + 56, family));
        f.putInt("lport", Short.toUnsignedInt(d.getShort(o + 46)));
        f.put("raddr", address(d, o + 72, family));
        f.putInt("rport", Short.toUnsignedInt(d.getShort(o + 48)));
        if (kind == 3) {
            int state = Byte.toUnsignedInt(d.get(o + 51));
            f.put("state", state < STATES.size() ? STATES.get(state) : Integer.toString(state));
        }
        if (kind == 2) {
            f.putLong("txBytes", d.getLong(o + 32));
            f.putLong("rxBytes", d.getLong(o + 24));
            f.put("ms", Math.round(d.getLong(o + 16) / 1e4) / 100.0);
        }
        f.putLong("cgroupId", d.getLong(o + 8));
    }

    private static String address(ByteBuffer d, int off, int family) {
        byte[] raw = new byte[16];
        for (int i = 0; i < 16; i++) {
            raw[i] = d.get(off + i);
        }
        try {
            return InetAddress.getByAddress(family == 10 ? raw : Arrays.copyOf(raw, 4)).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only thrown for a wrong length
        }
    }
}
