import unittest

from aim_trainer.packing import (IGNORE_INDEX, TokenRow, boundary_masked_labels, checked, flatten, labels_from_spans,
                                 padded, trained_tokens)

X = IGNORE_INDEX
# Two conversations packed in one row, as the dataset job writes them (see the Java interop fixture).
PACKED = TokenRow(input_ids=[1, 15, 16, 2, 1, 17, 2], labels=[X, X, 16, 2, X, 17, 2],
                  position_ids=[0, 1, 2, 3, 0, 1, 2], sequence_lengths=[4, 3])
SINGLE = TokenRow.single([1, 20, 21], [X, 20, 21])


class PackingTest(unittest.TestCase):

    def test_the_first_token_of_each_packed_sequence_never_trains(self):
        row = TokenRow([5, 6, 7, 8], [5, 6, 7, 8], [0, 1, 0, 1], [2, 2])
        self.assertEqual([X, 6, X, 8], boundary_masked_labels(row))

    def test_flatten_concatenates_rows_and_records_boundaries(self):
        flat = flatten([PACKED, SINGLE])
        self.assertEqual([1, 15, 16, 2, 1, 17, 2, 1, 20, 21], flat["input_ids"])
        self.assertEqual([X, X, 16, 2, X, 17, 2, X, 20, 21], flat["labels"])
        self.assertEqual([0, 1, 2, 3, 0, 1, 2, 0, 1, 2], flat["position_ids"])
        self.assertEqual([0, 4, 7, 10], flat["cu_seq_lens"])

    def test_padded_rows_carry_segment_ids(self):
        batch = padded([SINGLE, PACKED], pad_id=0)
        self.assertEqual([[1, 20, 21, 0, 0, 0, 0], PACKED.input_ids], batch["input_ids"])
        self.assertEqual([X, 20, 21, X, X, X, X], batch["labels"][0])
        self.assertEqual([[0, 0, 0, -1, -1, -1, -1], [0, 0, 0, 0, 1, 1, 1]], batch["segment_ids"])
        self.assertEqual([0, 1, 2, 0, 0, 0, 0], batch["position_ids"][0])

    def test_trained_tokens_counts_what_the_shifted_loss_counts(self):
        self.assertEqual(4 + 2, trained_tokens([[X, X, 16, 2, X, 17, 2], [X, 20, 21]]))
        self.assertEqual(0, trained_tokens([[5]]))  # the first label never has a token before it

    def test_checked_refuses_misaligned_rows_and_cuts_long_ones(self):
        with self.assertRaises(ValueError):
            checked(TokenRow([1, 2], [1], [0, 1], [2]), 8)
        with self.assertRaises(ValueError):
            checked(TokenRow([1, 2], [1, 2], [0, 1], [3]), 8)
        cut = checked(PACKED, 5)
        self.assertEqual(([1, 15, 16, 2, 1], [4, 1]), (cut.input_ids, cut.sequence_lengths))
        self.assertIs(PACKED, checked(PACKED, 7))

    def test_labels_from_spans(self):
        # "<s>user: hi assistant: hello</s>" with the assistant turn at characters 21..30
        ids = [1, 100, 101, 102, 103, 2]
        offsets = [(0, 0), (3, 8), (9, 11), (12, 21), (21, 27), (27, 31)]
        self.assertEqual([X, X, X, X, 103, 2], labels_from_spans(ids, offsets, [(21, 31)]))
        self.assertEqual([X] * 6, labels_from_spans(ids, offsets, []))


if __name__ == "__main__":
    unittest.main()
