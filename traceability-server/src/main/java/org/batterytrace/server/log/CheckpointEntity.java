package org.batterytrace.server.log;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

@Entity
@Table(name = "checkpoint")
public class CheckpointEntity extends PanacheEntityBase {
    @Id
    public long size;
    @Column(name = "root_hash")
    public String rootHash;
    public String note;
    /** The root of the log-derived map the note names (hex), or null for a checkpoint without a map line. */
    @Column(name = "map_root")
    public String mapRoot;
    @Column(name = "created_at")
    public Instant createdAt;

    /**
     * The newest checkpoint, or null. Native SQL: the integrator asks five times a second, and the HQL
     * form spent a quarter of its thread's CPU in building the query (async-profiler, ingest benchmark).
     */
    public static CheckpointEntity latest() {
        List<?> newest = getEntityManager().createNativeQuery("SELECT * FROM checkpoint ORDER BY size DESC LIMIT 1", CheckpointEntity.class).getResultList();
        return newest.isEmpty() ? null : (CheckpointEntity) newest.get(0);
    }

    /** The newest checkpoint that carries at least one witness cosignature ({@code log_state('cosigned')}), or null. */
    public static CheckpointEntity latestCosigned() {
        Number size = (Number) getEntityManager().createNativeQuery("SELECT counter FROM log_state WHERE name = 'cosigned'").getSingleResult();
        return size.longValue() < 0 ? null : findById(size.longValue());
    }

    /** The newest checkpoint signed at or before {@code time}, or null. */
    public static CheckpointEntity newestSignedBy(Instant time) {
        return find("createdAt <= ?1 order by size desc", time).firstResult();
    }

    /** The oldest checkpoint covering at least {@code size} leaves. */
    public static CheckpointEntity covering(long size) {
        return find("size >= ?1 order by size", size).firstResult();
    }
}
