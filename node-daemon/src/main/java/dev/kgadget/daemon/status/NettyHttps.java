package dev.kgadget.daemon.status;

import dev.kgadget.daemon.DaemonThreads;

import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.buffer.UnpooledByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.DecoderException;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpClientCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderValues;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaders;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMethod;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * One HTTP/1.1 request and its whole answer, over TLS, on the Netty that the daemon's gRPC server
 * already runs (grpc-netty-shaded's, the only Netty on its class path). The JDK's HTTP client,
 * used before, loaded ~340 classes of its own beside Netty's, ~2 MiB of the daemon's resident set
 * (docs/benchmarks.md). The few writes of a job need no connection pooling, so each request has
 * a connection of its own ({@code Connection: close}).
 *
 * <p>The server's certificate is checked against the host name or IP address of the URL, as an
 * HTTPS client must (the JDK's client did the same).
 */
final class NettyHttps {
    /** A ConfigMap holds at most 1 MiB of data; its metadata and managed fields come on top. */
    private static final int MAX_ANSWER_BYTES = 8 << 20;

    /**
     * Plain heap buffers, collected like any object: the few requests of a job need no pool,
     * and Netty's default allocator (not the one gRPC configures for itself) kept ~1.2 MiB of
     * direct chunks after the first request.
     */
    private static final ByteBufAllocator HEAP = new UnpooledByteBufAllocator(false);

    record Answer(int code, byte[] body) {
    }

    private final SSLContext tls;
    private final Duration connectTimeout;
    private final Duration answerTimeout;

    NettyHttps(SSLContext tls, Duration connectTimeout, Duration answerTimeout) {
        this.tls = tls;
        this.connectTimeout = connectTimeout;
        this.answerTimeout = answerTimeout;
    }

    /**
     * Sends {@code method} to {@code url} (https, or http for a plain server) and waits for the
     * answer.
     *
     * @param headers each value a header line of its own
     * @param body    null: none
     * @throws IOException when there is no answer: refused, TLS failed, closed, timed out
     */
    Answer send(String method, URI url, Map<String, List<String>> headers, byte[] body)
            throws IOException, InterruptedException {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        if (!https && !"http".equalsIgnoreCase(url.getScheme())) {
            throw new IOException("not an http(s) URL: " + url);
        }
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
                : url.getHost();
        int port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap().group(Loop.GROUP).channel(Loop.CHANNEL)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.ALLOCATOR, HEAP)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (https) {
                            SslHandler ssl = new SslHandler(clientEngine(host, port));
                            ssl.handshakeFuture().addListener(done -> {
                                if (!done.isSuccess()) {
                                    answer.completeExceptionally(done.cause());
                                }
                            });
                            ch.pipeline().addLast(ssl);
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_ANSWER_BYTES),
                                new AnswerHandler(answer));
                    }
                });
        ChannelFuture connect = bootstrap.connect(host, port);
        connect.addListener(done -> {
            if (!done.isSuccess()) {
                answer.completeExceptionally(done.cause());
                return;
            }
            String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
            DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
                    HttpMethod.valueOf(method), target.isEmpty() ? "/" : target,
                    body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
            HttpHeaders h = request.headers();
            h.set(HttpHeaderNames.HOST, url.getRawAuthority());
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            h.set(HttpHeaderNames.CONTENT_LENGTH, body == null ? 0 : body.length);
            headers.forEach((name, values) -> values.forEach(v -> h.add(name, v)));
            connect.channel().writeAndFlush(request).addListener(written -> {
                if (!written.isSuccess()) {
                    answer.completeExceptionally(written.cause());
                }
            });
        });
        try {
            return answer.get(connectTimeout.plus(answerTimeout).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // TLS failures come wrapped by the decoder that met them
            Throwable cause = e.getCause() instanceof DecoderException d && d.getCause() != null ? d.getCause()
                    : e.getCause();
            throw new IOException(cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName(),
                    cause);
        } catch (TimeoutException e) {
            throw new IOException("no answer within " + connectTimeout.plus(answerTimeout).toSeconds() + " s");
        } finally {
            connect.channel().close();
        }
    }

    private SSLEngine clientEngine(String host, int port) {
        SSLEngine engine = tls.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(params);
        return engine;
    }

    /** Completes the answer with the first whole response, or with why there is none. */
    private static final class AnswerHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<Answer> answer;

        AnswerHandler(CompletableFuture<Answer> answer) {
            this.answer = answer;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (!response.decoderResult().isSuccess()) {
                answer.completeExceptionally(new IOException("a malformed HTTP answer: "
                        + response.decoderResult().cause()));
            } else {
                answer.complete(new Answer(response.status().code(), ByteBufUtil.getBytes(response.content())));
            }
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            answer.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            answer.completeExceptionally(new IOException("the connection closed before an answer"));
        }
    }

    /**
     * One event-loop thread for every request of the process, on the transport gRPC uses (epoll
     * where the kernel has it), made when the first request goes out.
     */
    private static final class Loop {
        private static final boolean EPOLL = Epoll.isAvailable();
        static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, DaemonThreads.named("kube-api"),
                EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        static final Class<? extends Channel> CHANNEL = EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
