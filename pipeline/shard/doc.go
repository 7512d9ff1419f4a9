// Package shard splits a surveymine job over independent worker processes
// (a Slurm job array, a Kubernetes Indexed Job, xargs -P) and merges their
// results into exactly the tables one process writes.
//
// The data flow:
//
//	plan   ──► plan.json: inputs with sha256, the merged config, N workers,
//	           L = 64 logical shards
//	shard I ─► reads the inputs, keeps the units of the logical shards
//	           s with s mod N == I (a respondent or report article goes to
//	           shard FNV-1a-64(file, id) mod L), segments and codes each of
//	           their distinct texts once, writes shard-I.partial (codec.go:
//	           one length-prefixed record per distinct text holding the
//	           text, its codebook hits and its tokens as offsets into it)
//	           and shard-I.json (its manifest), each by temp file + rename
//	merge  ──► runs the ordinary pipeline with the recording replayed
//	           (pipeline.Env.Replay) and, while its ingest stage reads the
//	           inputs, checks the inputs' sha256 and every partial (present
//	           once, complete, same plan; the partials in parallel) and
//	           keeps each as its bytes with the offsets of its records and
//	           a pointer-free hash table from text to (worker, record)
//	           (Start; a problem cancels the job): the segment stage waits
//	           for that, then it and the code stage decode a distinct
//	           text's tokens and hits on all cores instead of cutting and
//	           coding it; cluster, crosstab, write and report are the code
//	           of `surveymine run`
//
// The assignment of units to logical shards does not depend on N, and the
// merge rebuilds the dataset in the order a single run has, so the tables
// are byte-identical to `surveymine run` for any N.
//
// WorkPart and OpenParts are Work and Open with the manifest and partial
// held in memory (Part) instead of the plan's directory, for an engine that
// carries data between its workers itself: the Apache Beam adapter in the
// nested module beam/.
package shard
