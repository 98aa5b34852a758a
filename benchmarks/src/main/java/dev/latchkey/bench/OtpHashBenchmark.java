package dev.latchkey.bench;

import dev.latchkey.engine.storage.SaltedHash;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/** The salted SHA-256 that turns an OTP into its storage key, on every creds and verify. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OtpHashBenchmark {
    private final String salt = "5b8e3c3e-6d1c-4a7e-9a4f-0f6f1b8f2d11";
    private final String otp = "6d6411fd-f622-ea0a-7e2c-989a745cbbb2";

    @Benchmark
    public String hash() {
        return SaltedHash.hash(salt, otp);
    }
}
