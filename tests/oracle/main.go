// Command oracle answers questions about the real Go engines the Yeastar P-Series PBX uses
// in its CRM/helpdesk integration templates, so that crmtpl's Python reimplementations can
// be checked against them case by case:
//
//   - Go's text/template (URLs, headers and bodies), with the PBX's four functions;
//   - github.com/tidwall/gjson (values pulled out of CRM answers);
//   - Go's encoding/xml (how a Go program reads the template file itself).
//
// Protocol: JSON Lines. Each non-blank line on stdin is one case; exactly one JSON object is
// written to stdout for it, in order, flushed at once. Fields a kind does not use (id,
// feature, expect...) are ignored, so corpus lines can be piped in unchanged. A line that is
// not a case gives {"oracle_error": "..."}; the program goes on. See README.md for every
// kind and field. Set TZ=UTC (or a case's "tz"): TimeFormat depends on the local zone.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"text/template"
	"time"
	_ "time/tzdata" // every IANA zone, even without /usr/share/zoneinfo
	"unicode"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// Debian package versions, set by build.sh with -ldflags -X.
var (
	gjsonVersion  = "unknown"
	matchVersion  = "unknown"
	prettyVersion = "unknown"
)

// request is one input line; each kind reads only its own fields.
type request struct {
	Kind string `json:"kind"`

	JSON string `json:"json"` // gjson, gjson_valid, bench_gjson: the document
	Path string `json:"path"` // gjson, bench_gjson

	XML string `json:"xml"` // xml: the whole document

	Template   string          `json:"template"`   // template, bench_template
	Data       json.RawMessage `json:"data"`       // the template's dot
	Funcs      string          `json:"funcs"`      // "pbx" (default) or "none"
	MissingKey string          `json:"missingkey"` // "" (Go's default) or an Option value
	DataMode   string          `json:"data_mode"`  // "number" (default), "float64", "string"
	Name       string          `json:"name"`       // template name, default "tpl"
	TZ         string          `json:"tz"`         // the PBX's local zone for TimeFormat

	N int `json:"n"` // bench_*: repetitions, default 10000
}

// gjsonAnswer is a gjson.Result. exists, type, raw and str are what a comparison needs
// first; the rest are its other accessors.
type gjsonAnswer struct {
	Exists    bool   `json:"exists"`
	Type      string `json:"type"`
	Raw       string `json:"raw"`
	Str       string `json:"str"`
	Index     int    `json:"index"`
	Indexes   []int  `json:"indexes,omitempty"`
	Int       int64  `json:"int"`
	Float     string `json:"float"` // FormatFloat(Float(), 'g', -1, 64): "+Inf" and "NaN" survive JSON
	Bool      bool   `json:"bool"`
	IsArray   bool   `json:"is_array"`
	IsObject  bool   `json:"is_object"`
	StrB64    string `json:"str_b64,omitempty"` // only when str is not valid UTF-8
	RawB64    string `json:"raw_b64,omitempty"` // only when raw is not valid UTF-8
	OracleErr string `json:"oracle_error,omitempty"`
}

// templateAnswer is the outcome of parsing and executing one template.
type templateAnswer struct {
	OK        bool   `json:"ok"`
	Output    string `json:"output"` // after an exec error: what was written before it
	Error     string `json:"error"`
	Phase     string `json:"phase,omitempty"`      // when !ok: data, option, parse, exec or panic
	OutputB64 string `json:"output_b64,omitempty"` // only when output is not valid UTF-8
}

// xmlElement is one start element as encoding/xml decodes it: attribute values as a Go
// program sees them (references decoded, literal newlines and tabs kept).
type xmlElement struct {
	Name  string      `json:"name"`
	Attrs [][2]string `json:"attrs"`
	Line  int         `json:"line"` // the decoder's line at the end of the start tag
}

// xmlAnswer is the outcome of reading a whole document with encoding/xml (strict mode).
type xmlAnswer struct {
	OK       bool         `json:"ok"`
	Error    string       `json:"error"`
	Elements []xmlElement `json:"elements"`
}

// ---------------------------------------------------------------------------------------
// The PBX's template functions.
//
// Their source is not public: everything in this section is INFERRED from Yeastar's page
// "XML Descriptions for Integration Template" (README.md, "PBX functions", gives the
// evidence and the alternatives rejected). crmtpl/gotemplate/pbx.py implements the same
// inferences. Each takes string parameters, as the documentation applies them to PBX
// variables (strings), so a json.Number argument fails the way Go fails for any function
// whose parameter is a string.
// ---------------------------------------------------------------------------------------

// pbxLayout is TimeFormat's pattern translation: plain substring replacements, one after
// the other in this order. "Z" is not translated, so "Zz" becomes Go's "Z07:00" (prints "Z"
// in UTC) and "-z" Go's "-07:00"; any other text reaches Go's layout parser as it is
// (".000", "Jan", "MST", a lone digit 1-6... are Go layout tokens).
func pbxLayout(format string) string {
	for _, pair := range [][2]string{
		{"yyyy", "2006"}, {"MM", "01"}, {"dd", "02"}, {"HH", "15"},
		{"mm", "04"}, {"ss", "05"}, {"SSS", "000"}, {"z", "07:00"},
	} {
		format = strings.ReplaceAll(format, pair[0], pair[1])
	}
	return format
}

// pbxFuncs is the PBX FuncMap; local is the zone TimeFormat uses when utc is not "1".
func pbxFuncs(local *time.Location) template.FuncMap {
	return template.FuncMap{
		"TimeFormat": func(seconds, format, utc string) string {
			return pbxTimeFormat(seconds, format, utc, local)
		},
		"ToMillis":   pbxToMillis,
		"Capitalize": pbxCapitalize,
		"UrlEncode":  pbxUrlEncode,
	}
}

// pbxTimeFormat: {{TimeFormat <unix seconds> "<pattern>" "<utc flag>"}}. Seconds that do not
// parse as a base-10 int64 give "" (our choice: the documentation is silent).
func pbxTimeFormat(seconds, format, utc string, local *time.Location) string {
	n, err := strconv.ParseInt(seconds, 10, 64)
	if err != nil {
		return ""
	}
	zone := local
	if utc == "1" {
		zone = time.UTC
	}
	return time.Unix(n, 0).In(zone).Format(pbxLayout(format))
}

// pbxToMillis: seconds * 1000 in decimal; "" when the seconds do not parse; int64 overflow
// wraps as it does in Go.
func pbxToMillis(seconds string) string {
	n, err := strconv.ParseInt(seconds, 10, 64)
	if err != nil {
		return ""
	}
	return strconv.FormatInt(n*1000, 10)
}

// pbxCapitalize upper-cases the first rune (unicode.ToUpper: "ß" stays "ß") and keeps the rest.
func pbxCapitalize(s string) string {
	if s == "" {
		return ""
	}
	first, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(first)) + s[size:]
}

// pbxUrlEncode percent-encodes every byte but A-Z a-z 0-9 - _ . ~ (url.QueryEscape, with its
// "+" for a space written "%20"): "hello world!" -> "hello%20world%21".
func pbxUrlEncode(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// ---------------------------------------------------------------------------------------
// The kinds.
// ---------------------------------------------------------------------------------------

func base64IfNotUTF8(s string) string {
	if utf8.ValidString(s) {
		return ""
	}
	return base64.StdEncoding.EncodeToString([]byte(s))
}

func answerGjson(r *request) gjsonAnswer {
	result := gjson.Get(r.JSON, r.Path)
	return gjsonAnswer{
		Exists:   result.Exists(),
		Type:     result.Type.String(),
		Raw:      result.Raw,
		Str:      result.String(),
		Index:    result.Index,
		Indexes:  result.Indexes,
		Int:      result.Int(),
		Float:    strconv.FormatFloat(result.Float(), 'g', -1, 64),
		Bool:     result.Bool(),
		IsArray:  result.IsArray(),
		IsObject: result.IsObject(),
		StrB64:   base64IfNotUTF8(result.String()),
		RawB64:   base64IfNotUTF8(result.Raw),
	}
}

// templateData decodes the case's data the way data_mode says: "number" keeps numbers as
// json.Number (a string type with the exact digits, the closest stand-in for the PBX's
// string variables), "float64" as plain json.Unmarshal does, "string" as map[string]string.
func templateData(r *request) (interface{}, error) {
	raw := bytes.TrimSpace(r.Data)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var data interface{}
	switch r.DataMode {
	case "", "number":
		decoder := json.NewDecoder(bytes.NewReader(raw))
		decoder.UseNumber()
		err := decoder.Decode(&data)
		return data, err
	case "float64":
		err := json.Unmarshal(raw, &data)
		return data, err
	case "string":
		var flat map[string]string
		if err := json.Unmarshal(raw, &flat); err != nil {
			return nil, err
		}
		return flat, nil
	}
	return nil, fmt.Errorf("unknown data_mode %q", r.DataMode)
}

// setOption calls Template.Option, which panics on a bad option, and returns that as an error.
func setOption(t *template.Template, option string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	t.Option(option)
	return nil
}

// newTemplate is the named template with its functions and option, before parsing.
func newTemplate(r *request) (*template.Template, *templateAnswer) {
	local := time.Local
	if r.TZ != "" {
		zone, err := time.LoadLocation(r.TZ)
		if err != nil {
			return nil, &templateAnswer{Error: err.Error(), Phase: "data"}
		}
		local = zone
	}
	name := r.Name
	if name == "" {
		name = "tpl"
	}
	t := template.New(name)
	switch r.Funcs {
	case "", "pbx":
		t = t.Funcs(pbxFuncs(local))
	case "none":
	default:
		return nil, &templateAnswer{Error: fmt.Sprintf("unknown funcs %q", r.Funcs), Phase: "data"}
	}
	if r.MissingKey != "" {
		if err := setOption(t, "missingkey="+r.MissingKey); err != nil {
			return nil, &templateAnswer{Error: err.Error(), Phase: "option"}
		}
	}
	return t, nil
}

// answerTemplate sets the template up, decodes the data, parses and executes, in that
// order; the first step that fails names the phase.
func answerTemplate(r *request) (answer templateAnswer) {
	var out bytes.Buffer
	defer func() {
		if p := recover(); p != nil {
			answer = templateAnswer{Output: out.String(), Error: fmt.Sprint(p), Phase: "panic"}
		}
		answer.OutputB64 = base64IfNotUTF8(answer.Output)
	}()
	t, failed := newTemplate(r)
	if failed != nil {
		return *failed
	}
	data, err := templateData(r)
	if err != nil {
		return templateAnswer{Error: err.Error(), Phase: "data"}
	}
	if _, err := t.Parse(r.Template); err != nil {
		return templateAnswer{Error: err.Error(), Phase: "parse"}
	}
	if err := t.Execute(&out, data); err != nil {
		return templateAnswer{Output: out.String(), Error: err.Error(), Phase: "exec"}
	}
	return templateAnswer{OK: true, Output: out.String()}
}

func answerXML(r *request) xmlAnswer {
	decoder := xml.NewDecoder(strings.NewReader(r.XML))
	answer := xmlAnswer{OK: true, Elements: []xmlElement{}}
	for {
		token, err := decoder.Token()
		if err == io.EOF {
			return answer
		}
		if err != nil {
			answer.OK = false
			answer.Error = err.Error()
			return answer
		}
		start, isStart := token.(xml.StartElement)
		if !isStart {
			continue
		}
		element := xmlElement{Name: start.Name.Local, Attrs: [][2]string{}}
		element.Line, _ = decoder.InputPos()
		for _, attr := range start.Attr {
			element.Attrs = append(element.Attrs, [2]string{attr.Name.Local, attr.Value})
		}
		answer.Elements = append(answer.Elements, element)
	}
}

func repetitions(r *request) int {
	if r.N > 0 {
		return r.N
	}
	return 10000
}

// benchGjson times gjson.Get N times in this process (no start-up cost in the figure).
func benchGjson(r *request) map[string]interface{} {
	n := repetitions(r)
	sink := 0
	start := time.Now()
	for i := 0; i < n; i++ {
		sink += len(gjson.Get(r.JSON, r.Path).String())
	}
	elapsed := time.Since(start)
	return map[string]interface{}{"n": n, "ns_per_op": float64(elapsed.Nanoseconds()) / float64(n), "sink": sink}
}

// benchTemplate parses once and times N executions with the PBX functions, as the PBX
// renders a template for each request.
func benchTemplate(r *request) map[string]interface{} {
	n := repetitions(r)
	t, err := template.New("tpl").Funcs(pbxFuncs(time.Local)).Parse(r.Template)
	if err != nil {
		return map[string]interface{}{"error": err.Error()}
	}
	data, err := templateData(r)
	if err != nil {
		return map[string]interface{}{"error": err.Error()}
	}
	var out bytes.Buffer
	start := time.Now()
	for i := 0; i < n; i++ {
		out.Reset()
		if err := t.Execute(&out, data); err != nil {
			return map[string]interface{}{"error": err.Error()}
		}
	}
	elapsed := time.Since(start)
	return map[string]interface{}{"n": n, "ns_per_op": float64(elapsed.Nanoseconds()) / float64(n), "bytes": out.Len()}
}

func versions() map[string]string {
	return map[string]string{
		"go":     runtime.Version(),
		"gjson":  gjsonVersion,
		"match":  matchVersion,
		"pretty": prettyVersion,
		"tz":     time.Local.String(),
	}
}

// answer is the reply to one input line.
func answer(line []byte) interface{} {
	var r request
	if err := json.Unmarshal(line, &r); err != nil {
		return map[string]string{"oracle_error": "bad case: " + err.Error()}
	}
	switch r.Kind {
	case "gjson":
		return answerGjson(&r)
	case "gjson_valid":
		// gjson.Valid checks the document; gjson has no path validator (a malformed path
		// simply does not exist).
		return map[string]bool{"valid": gjson.Valid(r.JSON)}
	case "template":
		return answerTemplate(&r)
	case "xml":
		return answerXML(&r)
	case "bench_gjson":
		return benchGjson(&r)
	case "bench_template":
		return benchTemplate(&r)
	case "version":
		return versions()
	}
	return map[string]string{"oracle_error": fmt.Sprintf("unknown kind %q", r.Kind)}
}

func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer out.Flush()
	encoder := json.NewEncoder(out)
	encoder.SetEscapeHTML(false)
	for {
		line, readErr := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			if err := encoder.Encode(answer(line)); err != nil {
				fmt.Fprintln(os.Stderr, "oracle: cannot write the answer:", err)
				os.Exit(2)
			}
			out.Flush()
		}
		if readErr == io.EOF {
			return
		}
		if readErr != nil {
			fmt.Fprintln(os.Stderr, "oracle: cannot read stdin:", readErr)
			os.Exit(2)
		}
	}
}
