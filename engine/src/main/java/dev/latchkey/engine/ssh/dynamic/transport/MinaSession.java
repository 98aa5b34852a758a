package dev.latchkey.engine.ssh.dynamic.transport;

import dev.latchkey.engine.ssh.dynamic.TargetHostException;
import dev.latchkey.engine.ssh.dynamic.TargetHostException.Step;
import dev.latchkey.engine.ssh.dynamic.TargetHosts;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One authenticated session. The command timeout bounds all the work done in it (the upload and
 * the script run together): a watchdog closes the session when it passes, so no blocking read on
 * a stalled host outlives it.
 */
final class MinaSession implements TargetHosts.Session {
    private static final int OUTPUT_LIMIT = 4096;

    private final String address;
    private final ClientSession session;
    private final Duration timeout;
    private final long deadlineNanos;
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private final ScheduledFuture<?> closer;

    MinaSession(String address, ClientSession session, ScheduledExecutorService watchdog, Duration timeout) {
        this.address = address;
        this.session = session;
        this.timeout = timeout;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.closer = watchdog.schedule(() -> {
            timedOut.set(true);
            session.close(true);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Duration remaining() {
        return MinaTargetHosts.remaining(deadlineNanos);
    }

    /** SCP "sink" mode on the host ({@code scp -t .}), as Vault's client did; both files in one transfer. */
    @Override
    public void upload(List<TargetHosts.RemoteFile> files) {
        BoundedOutput stderr = new BoundedOutput(OUTPUT_LIMIT);
        try (ChannelExec channel = session.createExecChannel("scp -t .")) {
            channel.setErr(stderr);
            channel.open().verify(remaining());
            OutputStream toHost = channel.getInvertedIn();
            InputStream fromHost = channel.getInvertedOut();
            ScpAck.expect(fromHost, "start", stderr);
            for (TargetHosts.RemoteFile file : files) {
                String header = "C0644 " + file.content().length + " " + file.name() + "\n";
                toHost.write(header.getBytes(StandardCharsets.UTF_8));
                toHost.flush();
                ScpAck.expect(fromHost, file.name(), stderr);
                toHost.write(file.content());
                toHost.write(0);
                toHost.flush();
                ScpAck.expect(fromHost, file.name(), stderr);
            }
            toHost.close();
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), remaining());
            if (timedOut.get()) {
                throw timedOut(Step.UPLOAD);
            }
            Integer status = channel.getExitStatus();
            if (status != null && status != 0) {
                throw new TargetHostException(address, Step.UPLOAD, "scp exited with status " + status + stderr.suffix());
            }
        } catch (ScpAck.Refused e) {
            throw new TargetHostException(address, Step.UPLOAD, e.getMessage());
        } catch (IOException e) {
            throw ioFailure(Step.UPLOAD, e, stderr);
        }
    }

    @Override
    public TargetHosts.CommandResult run(String command) {
        BoundedOutput stdout = new BoundedOutput(OUTPUT_LIMIT);
        BoundedOutput stderr = new BoundedOutput(OUTPUT_LIMIT);
        try (ChannelExec channel = session.createExecChannel(command)) {
            channel.setOut(stdout);
            channel.setErr(stderr);
            channel.open().verify(remaining());
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), remaining());
            if (timedOut.get() || events.contains(ClientChannelEvent.TIMEOUT)) {
                throw timedOut(Step.RUN);
            }
            return new TargetHosts.CommandResult(channel.getExitStatus(), stderr.text(), stdout.text());
        } catch (IOException e) {
            throw ioFailure(Step.RUN, e, stderr);
        }
    }

    private TargetHostException timedOut(Step step) {
        return new TargetHostException(address, step, "did not finish within the command timeout ("
                + MinaTargetHosts.seconds(timeout) + ")");
    }

    private TargetHostException ioFailure(Step step, IOException e, BoundedOutput stderr) {
        if (timedOut.get()) {
            return timedOut(step);
        }
        if (!session.isOpen()) {
            return new TargetHostException(address, step, "the host closed the connection ("
                    + MinaTargetHosts.describe(e) + ")" + stderr.suffix());
        }
        return new TargetHostException(address, step, MinaTargetHosts.describe(e) + stderr.suffix());
    }

    @Override
    public void close() {
        closer.cancel(false);
        session.close(false);
    }
}
