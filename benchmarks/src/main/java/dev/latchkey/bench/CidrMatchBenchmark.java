package dev.latchkey.bench;

import dev.latchkey.engine.net.CidrList;
import dev.latchkey.engine.net.IpAddress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@code lookup} does for each request: match one address against the CIDR lists of 1,000
 * roles (each with two networks and an exclusion), the lists as roles store them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CidrMatchBenchmark {
    private final List<String[]> roles = new ArrayList<>();
    private IpAddress ip;

    @Setup
    public void setUp() {
        for (int i = 0; i < 1000; i++) {
            roles.add(new String[] {
                "10." + (i / 256) + "." + (i % 256) + ".0/24, 2001:db8:" + Integer.toHexString(i) + "::/48",
                "10." + (i / 256) + "." + (i % 256) + ".128/25"});
        }
        ip = IpAddress.parse("10.2.77.7").orElseThrow();
    }

    @Benchmark
    public int matchOverThousandRoles() {
        int matched = 0;
        for (String[] role : roles) {
            if (CidrList.anyContainsLenient(role[0], ip) && !CidrList.anyContainsLenient(role[1], ip)) {
                matched++;
            }
        }
        return matched;
    }
}
