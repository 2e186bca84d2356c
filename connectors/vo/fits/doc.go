// Package fits reads FITS files (Flexible Image Transport System, FITS
// Standard 4.0) as a stream: the header of every HDU, and the rows of
// binary tables (XTENSION = 'BINTABLE') one at a time in constant memory.
//
// NewReader wraps an io.Reader; NextHDU moves to the next header-data unit
// and returns its header (the data of an HDU that is not read is skipped);
// for a binary table, Next and Row read its rows. Row decodes a cell only
// when it is asked for, from the row's bytes: typed accessors (Float, Int,
// Bool, String, Complex, AppendFloats, AppendInts, Value) apply TSCALn and
// TZEROn, and report a null (TNULLn for integers, NaN for floats, a zero
// byte for logicals) as ok == false.
//
// Column types (TFORMn): L (logical), X (bits), B, I, J, K (8- to 64-bit
// integers; B unsigned, the TZERO conventions for signed bytes and unsigned
// 16-, 32- and 64-bit integers included), A (characters), E, D (IEEE
// floats), C, M (complex), with a repeat count and, where it is a plain
// list of sizes, TDIMn. Variable-length arrays (P and Q) are refused with
// an error wrapping ErrUnsupported naming the column; the reader can then
// move on to the next HDU. CONTINUE cards are kept as cards but not joined.
//
// Every malformed input gives an *Error naming the HDU, the card or the
// row; nothing in a header is trusted to size an allocation before the
// bytes it describes have arrived.
package fits
