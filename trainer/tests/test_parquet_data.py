import os
import unittest

from aim_trainer.packing import IGNORE_INDEX as X
from tests.optional import needs

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "tokenized-java.parquet")


@needs("pyarrow", "numpy")
class TokenizedParquetTest(unittest.TestCase):
    """Reads a file written by the dataset job's Java TokenizedParquetWriter (tests/fixtures)."""

    def test_rows_of_the_java_writer(self):
        from aim_trainer.train.data import TokenizedParquet
        rows = TokenizedParquet(FIXTURE, max_seq_len=4096)
        self.assertEqual(3, len(rows))
        first = rows[0]
        self.assertEqual([1, 15, 16, 2, 1, 17, 2], first.input_ids)
        self.assertEqual([X, X, 16, 2, X, 17, 2], first.labels)
        self.assertEqual([0, 1, 2, 3, 0, 1, 2], first.position_ids)
        self.assertEqual([4, 3], first.sequence_lengths)
        self.assertEqual([1, 17, 16, 2, 1, 17, 2], rows[2].input_ids)
        with self.assertRaises(IndexError):
            rows[3]

    def test_rows_are_cut_to_max_seq_len(self):
        from aim_trainer.train.data import TokenizedParquet
        self.assertEqual([4, 1], TokenizedParquet(FIXTURE, max_seq_len=5)[1].sequence_lengths)

    def test_a_file_without_the_columns_is_refused(self):
        import tempfile
        import pyarrow
        import pyarrow.parquet as pq
        from aim_trainer.train.data import TokenizedParquet
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "plain.parquet")
            pq.write_table(pyarrow.table({"text": ["hello"]}), path)
            with self.assertRaises(ValueError) as ctx:
                TokenizedParquet(path, 128)
            self.assertIn("no column input_ids, labels, position_ids, sequence_lengths", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
