// The C ABI lives here (issue 4).
