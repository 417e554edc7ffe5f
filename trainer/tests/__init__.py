"""Unit tests of the trainer; stdlib only, so ``python3 -m unittest discover -s trainer/tests -t trainer`` runs
them anywhere. Tests of the torch side skip with the reason when torch, Transformers or PEFT are missing."""
