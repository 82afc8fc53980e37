// One CSV field as RFC 4180 wants it, with the formula-injection guard; the device's export and the server's report CSV both write text through it.

/** A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * Free text as one CSV field: a leading = + - @ TAB or CR gets a single quote before it, then the
 * field is quoted (inner quotes doubled) when it holds the separator, a quote, CR or LF. Numbers
 * are not text: a negative number written through this would gain the quote.
 */
export function csvText(value: string, separator: ';' | ',' = ','): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value
  return guarded.includes(separator) || /["\r\n]/.test(guarded)
    ? `"${guarded.replaceAll('"', '""')}"`
    : guarded
}
