// Package redact finds personal information in Chinese free text and
// replaces it with typed masks, so that a survey's answers can be analysed
// and published without the phone numbers, 身份证号, e-mail addresses,
// bank card and licence plate numbers and names that respondents write
// into them.
//
// Data flow for one text:
//
//	text → e-mail addresses (anchored on '@')
//	     → one left-to-right scan outside them:
//	         digit runs  → 身份证号 (check digit, birth date) > bank card
//	                       (Luhn, BIN) > mobile (prefix table) > landline
//	                       (area code)
//	         province    → licence plate
//	         title       → the surname (and given name) before it
//	     → []Span in text order, never overlapping
//	     → Redact: each span replaced by its Type's Mask ([手机号] …);
//	       a name's title stays: 张书记 → [姓名]书记
//
// Every detector looks at a bounded window around its anchor, so Find runs
// in time linear in the length of the text. Redact is idempotent: no mask
// is detected again.
//
// The package is pure: no I/O, configuration or logging.
package redact
