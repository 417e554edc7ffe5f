import random
import unittest

from aim_trainer.seeding import DataCursor, epoch_permutation, seed_everything, total_steps


class SeedingTest(unittest.TestCase):

    def test_permutations_are_fixed_per_seed_and_epoch(self):
        self.assertEqual(epoch_permutation(50, 42, 0), epoch_permutation(50, 42, 0))
        self.assertNotEqual(epoch_permutation(50, 42, 0), epoch_permutation(50, 42, 1))
        self.assertNotEqual(epoch_permutation(50, 42, 0), epoch_permutation(50, 43, 0))
        self.assertEqual(list(range(50)), sorted(epoch_permutation(50, 42, 3)))
        # Pinned: a change of the shuffle would silently break resuming runs started by an older trainer.
        self.assertEqual([0, 3, 2, 7, 1, 4, 8, 6, 5, 9], epoch_permutation(10, 42, 0))

    def test_the_data_order_ignores_the_global_generator(self):
        random.seed(1)
        a = epoch_permutation(20, 42, 0)
        random.seed(2)
        self.assertEqual(a, epoch_permutation(20, 42, 0))

    def test_seed_everything_seeds_python(self):
        seed_everything(5)
        a = random.random()
        seed_everything(5)
        self.assertEqual(a, random.random())

    def test_each_epoch_visits_every_row_once_and_steps_stop_at_the_epoch_end(self):
        cursor = DataCursor(rows=10, micro_batch_size=2, samples_per_step=4, seed=42)
        steps = [cursor.next_step() for _ in range(6)]
        self.assertEqual([[2, 2], [2, 2], [2], [2, 2], [2, 2], [2]], [[len(mb) for mb in s] for s in steps])
        first_epoch = [i for s in steps[:3] for mb in s for i in mb]
        self.assertEqual(epoch_permutation(10, 42, 0), first_epoch)
        self.assertEqual(list(range(10)), sorted(i for s in steps[3:] for mb in s for i in mb))
        self.assertEqual(20, cursor.samples_seen)
        self.assertEqual(2.0, cursor.epoch)

    def test_a_cursor_at_samples_seen_continues_exactly(self):
        straight = DataCursor(rows=13, micro_batch_size=3, samples_per_step=6, seed=9)
        order = [straight.next_step() for _ in range(9)]
        for k in range(9):
            replay = DataCursor(rows=13, micro_batch_size=3, samples_per_step=6, seed=9)
            for _ in range(k):
                replay.next_step()
            resumed = DataCursor(rows=13, micro_batch_size=3, samples_per_step=6, seed=9,
                                 samples_seen=replay.samples_seen)
            self.assertEqual(order[k:], [resumed.next_step() for _ in range(9 - k)], f"resumed after {k} steps")

    def test_total_steps(self):
        self.assertEqual(9, total_steps(rows=10, samples_per_step=4, epochs=3, max_steps=None))
        self.assertEqual(5, total_steps(rows=10, samples_per_step=4, epochs=3, max_steps=5))
        with self.assertRaises(ValueError):
            total_steps(rows=0, samples_per_step=4, epochs=3, max_steps=None)


if __name__ == "__main__":
    unittest.main()
