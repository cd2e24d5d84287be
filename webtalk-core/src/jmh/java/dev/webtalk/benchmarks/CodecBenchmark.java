package dev.webtalk.benchmarks;

import dev.webtalk.Limits;
import dev.webtalk.Message;
import dev.webtalk.protocol.ProtocolCodec;
import dev.webtalk.spi.OutboundFrame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The wire codec on its hot paths: decoding the most common inbound frame ({@code send}) and encoding
 * the most common push ({@code message}), once as JSON text and once down to the UTF-8 bytes a
 * transport writes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CodecBenchmark {
    /** A send as the demo UI writes it. */
    static final String SEND_FRAME = "{\"type\":\"send\",\"id\":\"42\",\"room\":\"Xk3v9QpL\",\"text\":\""
            + Samples.TEXT + "\",\"clientMsgId\":\"c-1764028800-17\"}";

    private final ProtocolCodec codec = new ProtocolCodec(Limits.defaults());
    private final Message message = Samples.message(Samples.roomId(1), 123_456);

    @Benchmark
    public ProtocolCodec.Decoded decodeSend() {
        return codec.decode(SEND_FRAME);
    }

    @Benchmark
    public OutboundFrame encodeMessagePush() {
        return codec.messagePush(message, message.seq());
    }

    /** What fan-out pays once per message: the JSON and its UTF-8 payload. */
    @Benchmark
    public ByteBuffer encodeMessagePushUtf8() {
        return codec.messagePush(message, message.seq()).utf8();
    }
}
