package dev.webtalk.demo.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The tool's own WebSocket client ({@code --client nio}, the default for {@code ws://}): {@code threads}
 * {@link NioLoop}s, connection {@code i} served by loop {@code i % threads} for its whole life. Plain
 * {@code ws://} only. Each loop reads, decodes and scans its connections' frames itself, so the cost of a
 * delivery is a share of a read system call and a scan of the frame's bytes.
 */
final class NioTransport implements Transport {
    private final List<NioLoop> loops = new ArrayList<>();
    private final int localAddresses;
    private final int firstAddress;

    /**
     * @param threads        loops, each one thread
     * @param localAddresses source addresses to spread over (1 = let the OS choose)
     * @param firstAddress   last byte of the first of them: 127.0.0.{firstAddress}
     */
    NioTransport(int threads, int localAddresses, int firstAddress) throws IOException {
        this.localAddresses = localAddresses;
        this.firstAddress = firstAddress;
        for (int k = 0; k < threads; k++) {
            NioLoop loop = new NioLoop(Connector.THREAD_PREFIX + "io-" + (k + 1));
            loops.add(loop);
            loop.start();
        }
    }

    @Override
    public CompletableFuture<Void> connect(BenchClient client, URI url) {
        if (!"ws".equals(url.getScheme())) {
            return CompletableFuture.failedFuture(new IOException("the nio client speaks ws:// only, not " + url));
        }
        InetSocketAddress remote = new InetSocketAddress(url.getHost(), url.getPort() == -1 ? 80 : url.getPort());
        InetSocketAddress local = localAddresses > 1 || firstAddress > 1
                ? new InetSocketAddress("127.0.0." + (firstAddress + client.index % localAddresses), 0) : null;
        NioLoop loop = loops.get(client.index % loops.size());
        return new NioSocket(loop, client, url, remote, local).open();
    }

    @Override
    public List<Thread> ioThreads() {
        return loops.stream().map(NioLoop::thread).toList();
    }

    @Override
    public String description() {
        return "client: nio, " + loops.size() + " I/O thread(s) (bench-io-*), each reading and scanning its "
                + "connections' frames";
    }

    @Override
    public void close() throws InterruptedException {
        for (NioLoop loop : loops) {
            loop.stop();
        }
    }
}
