using HybridSynth.Scm.Errors;
using HybridSynth.Scm.IO;
using HybridSynth.Scm.Model;
using HybridSynth.Scm.Tests.Support;
using HybridSynth.Verifier.Extraction;
using Newtonsoft.Json.Linq;
using NUnit.Framework;

namespace HybridSynth.Verifier.Tests.Extraction;

/// <summary>Extraction with a realization file: negation, cues, synonyms, units, and accuracy on notes written by hand.</summary>
public class PhrasedExtractionTests
{
    private static CausalModel Asia => JsonSpecReader.ReadFile(Paths.Dag("asia.json"));
    private static CausalModel Icu => JsonSpecReader.ReadFile(Paths.Dag("icu.json"));
    private static TextLexicon AsiaLexicon => new(Asia, Phrasebook.ReadFile(Paths.Dag("asia.phrasing.json")));
    private static TextLexicon IcuLexicon => new(Icu, Phrasebook.ReadFile(Paths.Dag("icu.phrasing.json")));

    private static string? Read(TextLexicon lexicon, string text, string variable)
    {
        var v = lexicon.Model.IndexOf(variable);
        var x = PhrasedExtraction.Extract(lexicon, text)[v];
        return x.Status switch
        {
            ExtractionStatus.Missing => null,
            ExtractionStatus.Conflict => "conflict",
            _ => lexicon.Model[v].IsCategorical ? lexicon.Model[v].Format(x.Value) : x.Value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    [TestCase("Non-smoker.", "smoke", "no")]
    [TestCase("Denies being a smoker.", "smoke", "no")]
    [TestCase("Current smoker, 20 pack-years.", "smoke", "yes")]
    [TestCase("TB excluded.", "tub", "no")]
    [TestCase("Tuberculosis cannot be excluded.", "tub", "yes")]
    [TestCase("Lung cancer and TB both ruled out.", "lung", "no")]
    [TestCase("Lung cancer and TB both ruled out.", "tub", "no")]
    [TestCase("X-ray clear.", "xray", "no")]
    [TestCase("CXR: mass in the right upper lobe.", "xray", "yes")]
    [TestCase("CXR:", "xray", null)]
    [TestCase("No fever, cough or dyspnoea.", "dysp", "no")]
    [TestCase("Dyspnoea: no.", "dysp", "no")]
    [TestCase("Short of breath, no bronchitis.", "dysp", "yes")]
    [TestCase("Short of breath, no bronchitis.", "bronc", "no")]
    [TestCase("Does not smoke, no foreign travel.", "asia", "no")]
    [TestCase("Recently returned from Asia.", "asia", "yes")]
    [TestCase("Breathless; TB confirmed but lung cancer excluded.", "tub", "yes")]
    [TestCase("Breathless; TB confirmed but lung cancer excluded.", "lung", "no")]
    [TestCase("Tobacco: none.", "smoke", "no")]
    public void Asia_NegationCuesAndSynonyms(string text, string variable, string? expected) =>
        Assert.That(Read(AsiaLexicon, text, variable), Is.EqualTo(expected), text);

    [TestCase("Pyrexial to 101.3 F.", "temperature", "38.5")]
    [TestCase("Temp 38.5 °C.", "temperature", "38.5")]
    [TestCase("Creatinine 150 umol/L.", "creatinine", "1.697")]
    [TestCase("72 yo man with type 2 diabetes.", "age", "72")]
    [TestCase("54-year-old woman.", "age", "54")]
    [TestCase("HR 118, RR 28.", "heart_rate", "118")]
    [TestCase("HR 118, RR 28.", "resp_rate", "28")]
    [TestCase("No pressors required.", "vasopressors", "no")]
    [TestCase("Started on norepinephrine.", "vasopressors", "yes")]
    [TestCase("Not intubated.", "ventilation", "no")]
    public void Icu_NumbersWithUnitsAndNegation(string text, string variable, string? expected) =>
        Assert.That(Read(IcuLexicon, text, variable), Is.EqualTo(expected), text);

    /// <summary>
    /// benchmarks/notes: notes written by hand in styles the templates do not produce. The development sets were used to
    /// find the extractor's bugs; the held-out sets were written afterwards and never tuned on. Each bound sits a little
    /// under the measured accuracy (development 0.975 and 0.963, held-out 0.944 and 0.985), so a regression fails.
    /// </summary>
    [TestCase("asia", "asia_handwritten.jsonl", 0.97)]
    [TestCase("icu", "icu_handwritten.jsonl", 0.95)]
    [TestCase("asia", "asia_heldout.jsonl", 0.94)]
    [TestCase("icu", "icu_heldout.jsonl", 0.98)]
    public void HandwrittenNotes_AreReadAccurately(string model, string notes, double bound)
    {
        var lexicon = model == "asia" ? AsiaLexicon : IcuLexicon;
        var path = Path.Combine(Paths.RepoRoot, "benchmarks", "notes", notes);
        var scored = File.ReadLines(path).Select((line, i) =>
        {
            var o = JObject.Parse(line);
            return (new TextExtractor(lexicon).Extract(o.Value<string>("text")!), (IReadOnlyDictionary<int, double>)ExtractionAccuracy.ParseTruth(lexicon.Model, (JObject)o["truth"]!, path, i + 1));
        }).ToList();
        var accuracy = ExtractionAccuracy.Compute(lexicon, scored);
        var overall = accuracy.Sum(a => a.Correct) / (double)accuracy.Sum(a => a.Stated);
        TestContext.Out.WriteLine($"{notes}: {overall:0.000} over {accuracy.Sum(a => a.Stated)} values");
        Assert.That(overall, Is.GreaterThanOrEqualTo(bound));
    }

    [Test]
    public void RealizationFile_ErrorsAreLocated()
    {
        var text = "{\n \"format\": \"hybridsynth-phrasing/1\",\n \"variables\": {\n  \"smoke\": { \"states\": { \"maybe\": [\"Perhaps.\"] } }\n }\n}";
        var book = Phrasebook.Parse(text, "bad.phrasing.json");
        var e = Assert.Throws<SpecException>(() => new TextLexicon(Asia, book))!;
        Assert.That(e.ToOneLine(), Does.StartWith("bad.phrasing.json:4:").And.Contain("'smoke' has no state 'maybe'"));
        var unknown = Assert.Throws<SpecException>(() => new TextLexicon(Asia, Phrasebook.Parse(text.Replace("smoke", "smoking"), "bad.phrasing.json")))!;
        Assert.That(unknown.ToOneLine(), Does.Contain("no variable 'smoking'"));
        var format = Assert.Throws<SpecException>(() => Phrasebook.Parse("{\"variables\": {}}", "f.json"))!;
        Assert.That(format.ToOneLine(), Does.Contain("hybridsynth-phrasing/1"));
    }
}
