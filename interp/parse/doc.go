// Package parse is the first stage of a cell's way through golit's
// interpreter: it cuts a cell into top-level units (declarations, imports,
// statements, a package clause) with their positions in the cell, without
// parsing (Split), and holds the syntax-tree helpers (deep copies,
// expression replacement) the later stages share.
//
// It imports nothing of golit: the rewrite and run stages build on it.
package parse
