package org.batterytrace.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.batterytrace.log.Witness.Refusal;
import org.batterytrace.log.Witness.Witnessed;
import org.batterytrace.record.SignatureAlgorithm;
import org.batterytrace.record.SigningKey;
import org.junit.jupiter.api.Test;

/** Each tlog-witness rule: what is cosigned, and the status of every refusal. */
class WitnessRulesTest {
    static final String ORIGIN = "trace.example/log";
    final NoteKey.Signer log = new NoteKey.Signer(ORIGIN, SigningKey.generate(SignatureAlgorithm.ED25519));
    final Function<String, List<NoteKey>> logs = Map.of(ORIGIN, List.of(log.noteKey()))::get;

    static MerkleTree tree(String prefix, int size) {
        MerkleTree tree = MerkleTree.inMemory();
        for (int i = 0; i < size; i++) {
            tree.append(TreeHash.leaf((prefix + i).getBytes()));
        }
        return tree;
    }

    String note(MerkleTree tree, long size) {
        return SignedNotes.sign(new Checkpoint(ORIGIN, size, tree.root(size)), ORIGIN, log.key());
    }

    /** Runs both steps as a witness does; returns the new state. */
    Witnessed submit(Witnessed state, long oldSize, List<byte[]> proof, String note) {
        AddCheckpoint request = AddCheckpoint.parse(new AddCheckpoint(oldSize, proof, note).format());
        return Witness.advance(request, Witness.verify(request, logs), state);
    }

    void refused(Refusal expected, int status, Runnable submission) {
        Witness.RefusedException e = assertThrows(Witness.RefusedException.class, submission::run);
        assertEquals(expected, e.refusal(), e.getMessage());
        assertEquals(status, e.refusal().status());
    }

    @Test
    void cosignsAGrowingLogAndRefusesEveryDeviation() {
        MerkleTree tree = tree("leaf-", 20);
        Witnessed state = submit(Witnessed.NONE, 0, List.of(), note(tree, 5));
        assertEquals(5, state.size());
        state = submit(state, 5, tree.consistencyProof(5, 12), note(tree, 12));
        assertEquals(12, state.size());
        assertArrayEquals(tree.root(12), state.rootHash());
        assertEquals(12, submit(state, 12, List.of(), note(tree, 12)).size(), "the same checkpoint again is cosigned again");
        Witnessed at12 = state;

        // 409 with the witnessed size, so the log can retry from it
        Witness.RefusedException stale = assertThrows(Witness.RefusedException.class, () -> submit(at12, 5, tree.consistencyProof(5, 20), note(tree, 20)));
        assertEquals(Refusal.OLD_SIZE_MISMATCH, stale.refusal());
        assertEquals(12, stale.latestSize());
        refused(Refusal.OLD_SIZE_MISMATCH, 409, () -> submit(at12, 0, List.of(), note(tree, 20)));
        // rollback: a smaller tree, honestly described
        refused(Refusal.OLD_SIZE_TOO_LARGE, 400, () -> submit(at12, 12, List.of(), note(tree, 8)));
        // a damaged proof
        List<byte[]> damaged = new ArrayList<>(tree.consistencyProof(12, 20));
        damaged.set(0, damaged.get(0).clone());
        damaged.get(0)[3] ^= 1;
        refused(Refusal.BAD_PROOF, 422, () -> submit(at12, 12, damaged, note(tree, 20)));
        refused(Refusal.BAD_PROOF, 422, () -> submit(at12, 12, tree.consistencyProof(12, 20).subList(1, 3), note(tree, 20)));
        refused(Refusal.BAD_PROOF, 422, () -> submit(Witnessed.NONE, 0, tree.consistencyProof(5, 20), note(tree, 20)));
        refused(Refusal.BAD_PROOF, 422, () -> submit(at12, 12, tree.consistencyProof(5, 12), note(tree, 12)));

        // a fork: the same first 10 leaves, then different ones
        MerkleTree fork = tree("leaf-", 10);
        for (int i = 10; i < 20; i++) {
            fork.append(TreeHash.leaf(("forked-" + i).getBytes()));
        }
        refused(Refusal.FORK, 409, () -> submit(at12, 12, List.of(), note(fork, 12)));
        refused(Refusal.BAD_PROOF, 422, () -> submit(at12, 12, fork.consistencyProof(12, 20), note(fork, 20)));
    }

    @Test
    void refusesUnknownLogsUntrustedSignaturesAndMalformedRequests() {
        MerkleTree tree = tree("leaf-", 4);
        NoteKey.Signer stranger = new NoteKey.Signer("other.example/log", SigningKey.generate(SignatureAlgorithm.ED25519));
        String foreign = SignedNotes.sign(new Checkpoint(stranger.name(), 4, tree.root()), stranger.name(), stranger.key());
        refused(Refusal.UNKNOWN_LOG, 404, () -> submit(Witnessed.NONE, 0, List.of(), foreign));

        NoteKey.Signer impostor = new NoteKey.Signer(ORIGIN, SigningKey.generate(SignatureAlgorithm.ED25519));
        refused(Refusal.UNTRUSTED_SIGNATURE, 403,
                () -> submit(Witnessed.NONE, 0, List.of(), SignedNotes.sign(new Checkpoint(ORIGIN, 4, tree.root()), ORIGIN, impostor.key())));
        refused(Refusal.UNTRUSTED_SIGNATURE, 403, () -> submit(Witnessed.NONE, 0, List.of(), note(tree, 4).replace("\n4\n", "\n3\n")));

        String good = note(tree, 4);
        for (String body : List.of("", "old 0\n", "old 0\n\n", "old 00\n\n" + good, "old -1\n\n" + good, "new 0\n\n" + good, "old 0\nnot base64!\n\n" + good,
                "old 0\nAAAA\n\n" + good, "old 0\n\n" + good.replace("\u2014", "-"), "old 0\n\nnot a checkpoint\n\n\u2014 x AAAAAAA=\n",
                "old 99999999999999999999\n\n" + good, "old 0\n" + "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n".repeat(64) + "\n" + good)) {
            refused(Refusal.MALFORMED, 400, () -> {
                AddCheckpoint request = AddCheckpoint.parse(body);
                Witness.advance(request, Witness.verify(request, logs), Witnessed.NONE);
            });
        }
    }

    @Test
    void otherSignaturesOnTheCheckpointAreIgnored() {
        MerkleTree tree = tree("leaf-", 4);
        NoteKey.Signer witness = new NoteKey.Signer("witness.example/w1", SigningKey.generate(SignatureAlgorithm.ED25519));
        Note note = Note.parse(note(tree, 4));
        String cosigned = note.with(List.of(Cosignatures.sign(note.text(), witness, 1_700_000_000L))).format();
        assertEquals(4, submit(Witnessed.NONE, 0, List.of(), cosigned).size());
        AddCheckpoint request = new AddCheckpoint(0, List.of(), cosigned);
        assertEquals(request.format(), AddCheckpoint.parse(request.format()).format());
    }
}
