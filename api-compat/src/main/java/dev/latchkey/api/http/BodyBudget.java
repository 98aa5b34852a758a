package dev.latchkey.api.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request body bytes the whole node holds at once. Each body is limited on its own (Vault's
 * {@code max_request_size}), but a few dozen clients each sending 32 MiB together would fill any heap:
 * bodies beyond a small size draw on one shared budget, and a body that finds it spent is refused
 * with 503 so the client may retry. Small bodies — every {@code verify}, every login — never wait
 * and are never refused.
 */
final class BodyBudget {
    /** Bodies up to this size are exempt: at the header size limit, a connection costs as much anyway. */
    static final long SMALL_BODY = 64 * 1024;

    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    BodyBudget(long capacityBytes) {
        this.capacity = capacityBytes;
    }

    /** A quarter of the heap, at most 512 MiB. */
    static BodyBudget forHeap() {
        return new BodyBudget(Math.min(512L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4));
    }

    long capacity() {
        return capacity;
    }

    /** Takes {@code bytes} from the budget if they fit; the caller releases them when done. */
    boolean tryTake(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > capacity) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        if (bytes > 0) {
            used.addAndGet(-bytes);
        }
    }
}
