package org.batterytrace.server;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.arc.ManagedContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.function.Supplier;

/**
 * For a non-blocking endpoint or filter, running on an HTTP event loop, that finds it needs the database
 * after all (a fact not in memory): the rest of its work on a worker thread, in the same request's CDI
 * context, so request-scoped beans such as the caller keep what they resolved.
 */
public final class WorkerThread {
    private WorkerThread() {
    }

    public static <T> Uni<T> call(Supplier<T> work) {
        ManagedContext requestContext = Arc.container().requestContext();
        InjectableContext.ContextState state = requestContext.getState();
        return Uni.createFrom().<T>item(() -> {
            requestContext.activate(state);
            try {
                return work.get();
            } finally {
                requestContext.deactivate();
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
