// Command surveymine text-mines Chinese survey exports and research reports
// about the "两张皮" problem (party-building work disconnected from business
// work).
//
//	surveymine run [--config FILE] [--out DIR] [--set key.path=value ...]
//	surveymine validate --config FILE
//	surveymine init [DIR]
//	surveymine segment [--config FILE] [TEXT|-]
//	surveymine codebook lint [--config FILE]
//	surveymine sample --rows N --seed S --out FILE
//	surveymine version
//
// This package is the only one that knows cobra and viper: it merges flags,
// SURVEYMINE_* environment variables, the config file and defaults into a
// pipeline.Config, runs the pipeline, and maps errors to exit codes in one
// place (report). See README.md for the configuration and exit codes.
package main
