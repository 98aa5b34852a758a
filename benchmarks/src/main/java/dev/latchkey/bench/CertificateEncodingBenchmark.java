package dev.latchkey.bench;

import dev.latchkey.engine.ssh.keys.SshCertificateBuilder;
import dev.latchkey.engine.ssh.keys.SshCertificateType;
import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Encoding a certificate body (what the CA then signs), with a fresh nonce each time. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CertificateEncodingBenchmark {
    private SshPublicKey subject;
    private SshPublicKey ca;

    @Setup
    public void setUp() {
        subject = SshKeyGenerator.generate("ed25519", 0).publicKey();
        ca = SshKeyGenerator.generate("ed25519", 0).publicKey();
    }

    @Benchmark
    public byte[] encode() {
        return new SshCertificateBuilder(subject).serial(42).keyId("vault-root-0123456789abcdef")
                .principals(List.of("alice", "ops")).validAfter(1_700_000_000L).validBefore(1_700_003_600L)
                .certType(SshCertificateType.USER)
                .extensions(Map.of("permit-pty", "", "permit-port-forwarding", ""))
                .encodeBody(ca);
    }
}
