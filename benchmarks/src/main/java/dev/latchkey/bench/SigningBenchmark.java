package dev.latchkey.bench;

import dev.latchkey.engine.ssh.keys.SshCertificateBuilder;
import dev.latchkey.engine.ssh.keys.SshCertificateType;
import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import dev.latchkey.engine.ssh.keys.SshPrivateKey;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import dev.latchkey.engine.ssh.keys.SshSigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The raw cost of certifying a key, without HTTP or storage: the ceiling {@code sign} is compared
 * against. {@code signOnly} signs a certificate-sized body; {@code certificate} encodes and signs a
 * whole certificate as the sign endpoint does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SigningBenchmark {
    @Param({"ed25519", "ecdsa-sha2-nistp256", "rsa-4096"})
    public String ca;

    private SshPrivateKey caKey;
    private String algorithm;
    private SshPublicKey subject;
    private byte[] body;

    @Setup
    public void setUp() {
        caKey = ca.equals("rsa-4096") ? SshKeyGenerator.generate("rsa", 4096) : SshKeyGenerator.generate(ca, 0);
        algorithm = SshSigner.defaultAlgorithm(caKey, "default");
        subject = SshKeyGenerator.generate("ed25519", 0).publicKey();
        body = new SshCertificateBuilder(subject).keyId("bench").principals(List.of("alice"))
                .validAfter(0).validBefore(Long.MAX_VALUE).certType(SshCertificateType.USER)
                .sign(caKey, algorithm).wire();
    }

    @Benchmark
    public byte[] signOnly() {
        return SshSigner.sign(caKey, algorithm, body);
    }

    @Benchmark
    public String certificate() {
        return new SshCertificateBuilder(subject).serial(42).keyId("vault-root-0123").principals(List.of("alice"))
                .validAfter(1_700_000_000L).validBefore(1_700_003_600L).certType(SshCertificateType.USER)
                .extensions(Map.of("permit-pty", "")).sign(caKey, algorithm).toLine();
    }
}
