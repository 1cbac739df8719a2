#!/usr/bin/env bash
# Build a HybridSynth suite as a Slurm array job: one task per shard, then one indexing job.
#   sbatch --array=1-16 benchmarks/suites/slurm-array.sh benchmarks/suites/example.yaml /shared/fs/out/example
#   sbatch --dependency=afterok:<array job id> --wrap "hybridsynth suite index /shared/fs/out/example"
# Every task writes only its own datasets (each in a temporary folder renamed when complete), so tasks never
# collide; a failed or preempted task is simply resubmitted: complete datasets are skipped, partial ones rebuilt.
# The merged folder is byte-identical to an unsharded build, whatever the number of tasks.
#SBATCH --job-name=hybridsynth-suite
#SBATCH --cpus-per-task=2
#SBATCH --time=02:00:00
set -euo pipefail
suite=${1:?usage: slurm-array.sh SUITE.yaml OUT_DIR}
out=${2:?usage: slurm-array.sh SUITE.yaml OUT_DIR}
: "${SLURM_ARRAY_TASK_ID:?run with sbatch --array=1-K}"
: "${SLURM_ARRAY_TASK_COUNT:?run with sbatch --array=1-K}"
hybridsynth suite "$suite" -o "$out" --jobs "${SLURM_CPUS_PER_TASK:-1}" --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}"
