// Package shardbeam runs a surveymine shard plan as an Apache Beam
// pipeline: the workers of `surveymine shard` become a DoFn, the gathering
// of their partials a CombineFn, and `surveymine merge` a final DoFn, so a
// site that already has a Beam runner (Flink, Spark, Dataflow, or Prism on
// one machine) can use it instead of a job array. The tables are
// byte-identical to `surveymine run` with the plan's config.
//
// The data flow, for a plan of N workers:
//
//	Create(0..N-1) ─► Reshuffle ─► ParDo(workFn) ─► Combine(gatherFn) ─► ParDo(mergeFn)
//	 worker indices    one bundle   shard.WorkPart:   all N parts, sorted   shard.OpenParts +
//	                   per index    ingest, select,   by worker index       pipeline.Execute
//	                   (no fusion)  segment, code     (one element)         with Env.Replay
//
// The elements are the N worker indices of the plan, not its 64 logical
// shards: every worker ingests the whole input and then keeps its logical
// shards I, I+N, …, so 64 elements would read the input 64 times, and the
// partials would not be those `surveymine shard` writes (the merge checks
// a partial per worker index). N is the parallelism the plan asks for.
//
// Partials travel through the pipeline as bytes (shard.Part: the manifest
// and partial `surveymine shard` would write), not through the plan's
// directory: the runner moves them from the workers to the merge, so no
// directory needs to be shared for them. The inputs and the output
// directory still must be: every worker and the merge open the inputs by
// the plan's paths (relative to the plan's working directory), and the
// merge writes the tables where the plan's config or Options.Out says.
package shardbeam
