using System.Text;
using HybridSynth.Scm.Errors;

namespace HybridSynth.Scm.IO;

/// <summary>
/// An RFC 4180 tokeniser over a text stream, one record at a time, without a string per field: the
/// current record's fields are spans into one reused buffer (quoted fields unescaped), each with the
/// line and column where it starts. Records end at \n, \r\n or a lone \r; a quoted field may span lines.
/// Memory is the longest record, whatever the file's length.
/// </summary>
public sealed class CsvRecordStream : IDisposable
{
    private readonly TextReader _reader;
    private readonly string _file;
    private readonly char[] _input = new char[1 << 16];
    private int _pos, _len;
    private bool _eof;
    private char[] _text = new char[1024];
    private int _textLength;
    private readonly List<(int Start, int Length, int Column, int Line)> _fields = new();
    private int _line = 1, _col = 1;
    private static readonly System.Buffers.SearchValues<char> FieldEnds = System.Buffers.SearchValues.Create(",\r\n");

    /// <summary>Reads CSV records from <paramref name="reader"/>; <paramref name="file"/> names the source in errors.</summary>
    public CsvRecordStream(TextReader reader, string file)
    {
        _reader = reader;
        _file = file;
    }

    /// <summary>
    /// Opens <paramref name="path"/> (UTF-8, a byte-order mark allowed) and runs <paramref name="parse"/> over its records.
    /// A missing file is an <see cref="InputFileException"/>; an unreadable one, text that is not UTF-8 and I/O errors are
    /// <see cref="SpecException"/>s naming the file. <paramref name="progress"/>, when given, is what the parser calls to
    /// report (bytes read, bytes in all) — null when the file has no length (a pipe).
    /// </summary>
    public static T ReadFile<T>(string path, Func<CsvRecordStream, Action?, T> parse, Action<long, long>? progress = null)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException) { throw new InputFileException(path); }
        catch (DirectoryNotFoundException) { throw new InputFileException(path); }
        catch (UnauthorizedAccessException) { throw new SpecException(null, $"{path}: cannot be read (permission denied, or a directory)"); }
        catch (IOException e) { throw new SpecException(null, $"{path}: cannot be read ({e.Message})"); }
        var length = stream.CanSeek ? stream.Length : -1;
        using var records = new CsvRecordStream(new StreamReader(stream, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true, 1 << 16), path);
        try
        {
            // A pipe (a FIFO, process substitution) has no position: no progress then.
            return parse(records, progress is null || !stream.CanSeek ? null : () => progress(stream.Position, length));
        }
        catch (DecoderFallbackException) { throw new SpecException(path, 1, 1, "the file is not valid UTF-8 text"); }
        catch (IOException e) { throw new SpecException(null, $"{path}: cannot be read ({e.Message})"); }
    }

    /// <summary>The line where the current record starts (1-based).</summary>
    public int Line { get; private set; }

    /// <summary>The number of fields of the current record.</summary>
    public int FieldCount => _fields.Count;

    /// <summary>Characters consumed so far (for progress).</summary>
    public long CharactersRead { get; private set; }

    /// <summary>Field <paramref name="k"/> of the current record, unquoted, as a span valid until the next record.</summary>
    public ReadOnlySpan<char> Field(int k) => _text.AsSpan(_fields[k].Start, _fields[k].Length);

    /// <summary>The 1-based column at which field <paramref name="k"/> starts (for located errors).</summary>
    public int Column(int k) => _fields[k].Column;

    /// <summary>The line where field <paramref name="k"/> starts (later than <see cref="Line"/> after a quoted line break).</summary>
    public int FieldLine(int k) => _fields[k].Line;

    /// <summary>Whether the current record is a blank line (one empty field).</summary>
    public bool IsBlank => _fields.Count == 1 && _fields[0].Length == 0;

    private int Peek()
    {
        if (_pos < _len) return _input[_pos];
        if (_eof) return -1;
        _len = _reader.Read(_input, 0, _input.Length);
        _pos = 0;
        if (_len == 0)
        {
            _eof = true;
            return -1;
        }
        return _input[0];
    }

    private void Skip()
    {
        _pos++;
        CharactersRead++;
    }

    private void Append(char c)
    {
        if (_textLength == _text.Length) Array.Resize(ref _text, _text.Length * 2);
        _text[_textLength++] = c;
    }

    /// <summary>Reads the next record; false at the end of the input.</summary>
    public bool Next()
    {
        if (Peek() < 0) return false;
        _fields.Clear();
        _textLength = 0;
        Line = _line;
        while (true)
        {
            var startCol = _col;
            var startLine = _line;
            var start = _textLength;
            if (Peek() == '"')
            {
                int qLine = _line, qCol = _col;
                Skip();
                _col++;
                while (true)
                {
                    var ch = Peek();
                    if (ch < 0) throw new SpecException(_file, qLine, qCol, "a quoted field is not closed");
                    Skip();
                    if (ch == '"')
                    {
                        if (Peek() == '"')
                        {
                            Skip();
                            Append('"');
                            _col += 2;
                            continue;
                        }
                        _col++;
                        break;
                    }
                    if (ch == '\n') { _line++; _col = 1; } else _col++;
                    Append((char)ch);
                }
                var after = Peek();
                if (after >= 0 && after != ',' && after != '\n' && after != '\r')
                    throw new SpecException(_file, _line, _col, "expected ',' or the end of the line after a quoted field");
            }
            else
            {
                // An unquoted field: copy up to the next separator or line end, a buffer's worth at a time.
                while (Peek() >= 0)
                {
                    var rest = _input.AsSpan(_pos, _len - _pos);
                    var stop = rest.IndexOfAny(FieldEnds);
                    var take = stop < 0 ? rest.Length : stop;
                    if (_textLength + take > _text.Length) Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + take));
                    rest[..take].CopyTo(_text.AsSpan(_textLength));
                    _textLength += take;
                    _pos += take;
                    CharactersRead += take;
                    _col += take;
                    if (stop >= 0) break;
                }
            }
            _fields.Add((start, _textLength - start, startCol, startLine));
            if (Peek() == ',')
            {
                Skip();
                _col++;
                continue;
            }
            if (Peek() == '\r') Skip();
            if (Peek() == '\n') Skip();
            _line++;
            _col = 1;
            return true;
        }
    }

    /// <summary>Closes the reader.</summary>
    public void Dispose() => _reader.Dispose();
}
