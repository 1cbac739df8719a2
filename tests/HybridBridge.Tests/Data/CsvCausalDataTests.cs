using HybridSynth.HybridBridge.Data;
using HybridSynth.Scm.Errors;
using HybridSynth.Scm.Tests.Support;
using NUnit.Framework;

namespace HybridSynth.HybridBridge.Tests.Data;

/// <summary>Column typing and missing values of the CSV reader behind <c>ate</c> and <c>hybrid</c>: nothing is guessed silently.</summary>
public class CsvCausalDataTests
{
    private static string File(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hs-csvcausal-{Guid.NewGuid():N}.csv");
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static CsvCausalData.Selection Select(params string[] covariates) => new("a", "1", "0", "y", covariates);

    private const string Clean = "a,y,age,race\n1,2.5,30,black\n0,1.5,41,white\n1,3.0,25,white\n0,1.0,52,black\n2,9,60,black\n";

    [Test]
    public void CleanData_TypesEachColumnFromItsCells()
    {
        var r = CsvCausalData.Read(File(Clean), Select("age", "race"));
        Assert.That(r.RowsRead, Is.EqualTo(5));
        Assert.That(r.RowsUsed, Is.EqualTo(4), "the row of arm 2 is another arm, not an error");
        Assert.That(r.CovariateTypes, Is.EqualTo(new[] { ("age", "numeric"), ("race", "categorical") }));
        Assert.That(r.Data.CovariateNames, Is.EqualTo(new[] { "age", "race=white" }));
        Assert.That(r.Data.Covariates[0], Is.EqualTo(new[] { 30.0, 41, 25, 52 }));
    }

    [TestCase("abc", 3, 7)]
    [TestCase("1e309", 3, 7)]
    [TestCase("Infinity", 3, 7)]
    public void OneBadCellInANumericColumn_IsALocatedError_NotACategoricalColumn(string cell, int line, int column)
    {
        var path = File(Clean.Replace("0,1.5,41,", $"0,1.5,{cell},"));
        var e = Assert.Throws<SpecException>(() => CsvCausalData.Read(path, Select("age", "race")))!;
        Assert.That(e.ToOneLine(), Does.StartWith($"{path}:{line}:{column}:"));
        Assert.That(e.ToOneLine(), Does.Contain($"'{cell}' in column 'age'"));
    }

    [Test]
    public void ACategoricalColumnWithOneNumber_IsAnError_UnlessNamedCategorical()
    {
        var path = File(Clean.Replace("0,1.0,52,black", "0,1.0,52,7"));
        var e = Assert.Throws<SpecException>(() => CsvCausalData.Read(path, Select("age", "race")))!;
        Assert.That(e.ToOneLine(), Does.StartWith($"{path}:5:"));
        Assert.That(e.ToOneLine(), Does.Contain("--categorical race"));
        var r = CsvCausalData.Read(path, Select("age", "race") with { Categorical = ["race"] });
        Assert.That(r.Data.CovariateNames, Is.EqualTo(new[] { "age", "race=black", "race=white" }), "levels in ordinal order: 7 < black < white");
    }

    [Test]
    public void Categorical_MakesANumericColumnCategories_AndMustNameAUsedColumn()
    {
        var r = CsvCausalData.Read(File(Clean), Select("age") with { Categorical = ["age"] });
        Assert.That(r.Data.CovariateNames, Is.EqualTo(new[] { "age=30", "age=41", "age=52" }));
        Assert.That(r.CovariateTypes, Is.EqualTo(new[] { ("age", "categorical") }));
        var e = Assert.Throws<SpecException>(() => CsvCausalData.Read(File(Clean), Select("age") with { Categorical = ["race"] }))!;
        Assert.That(e.ToOneLine(), Does.Contain("--categorical names 'race', which is neither a covariate nor the outcome"));
    }

    [TestCase("")]
    [TestCase("NA")]
    [TestCase("NaN")]
    public void MissingCells_AreErrorsByDefault_AndDroppedAndCountedOnRequest(string token)
    {
        // A missing categorical cell (race) and a missing numeric one (age): neither becomes a level or a NaN.
        var path = File(Clean.Replace("1,3.0,25,white", $"1,3.0,25,{token}").Replace("0,1.5,41,", $"0,1.5,{token},"));
        var e = Assert.Throws<SpecException>(() => CsvCausalData.Read(path, Select("age", "race")))!;
        Assert.That(e.ToOneLine(), Does.StartWith($"{path}:3:7:"));
        Assert.That(e.ToOneLine(), Does.Contain("missing value").And.Contain("'age'").And.Contain("--missing drop"));
        var r = CsvCausalData.Read(path, Select("age", "race") with { Missing = MissingPolicy.Drop });
        Assert.That(r.RowsUsed, Is.EqualTo(2));
        Assert.That(r.RowsDroppedMissing, Is.EqualTo(2));
        Assert.That(r.Data.Covariates[0], Is.EqualTo(new[] { 30.0, 52 }));
    }

    [Test]
    public void AMissingCellOfAnotherArm_IsNotAnError()
    {
        var r = CsvCausalData.Read(File(Clean.Replace("2,9,60,black", "2,9,,black")), Select("age", "race"));
        Assert.That(r.RowsUsed, Is.EqualTo(4));
        Assert.That(r.RowsDroppedMissing, Is.EqualTo(0));
    }

    [Test]
    public void DuplicatedHeaders_AndCovariateRoles_AreErrors()
    {
        var path = File("a,y,w,w\n1,2,3,4\n0,1,2,3\n");
        Assert.That(Assert.Throws<SpecException>(() => CsvCausalData.Read(path, Select("w")))!.ToOneLine(), Does.StartWith($"{path}:1:7:").And.Contain("'w' twice"));
        Assert.That(Assert.Throws<SpecException>(() => CsvCausalData.Read(File(Clean), Select("age", "y")))!.ToOneLine(), Does.Contain("both a covariate and the outcome"));
        Assert.That(Assert.Throws<SpecException>(() => CsvCausalData.Read(File(Clean), Select("age", "age")))!.ToOneLine(), Does.Contain("listed twice"));
        Assert.That(Assert.Throws<SpecException>(() => CsvCausalData.Read(File(Clean), Select("agee")))!.ToOneLine(), Does.Contain("did you mean age?"));
    }

    [Test]
    public void LaLonde_OneBadAgeCell_NoLongerTurnsAgeInto47Dummies()
    {
        var lalonde = Paths.Shared("data/real/lalonde.csv");
        var lines = System.IO.File.ReadAllLines(lalonde);
        var fields = lines[57].Split(',');
        fields[2] = "abc";
        lines[57] = string.Join(",", fields);
        var path = File(string.Join("\n", lines) + "\n");
        var select = new CsvCausalData.Selection("treat", "1", "0", "re78", ["age", "educ", "race", "married", "nodegree", "re74", "re75"]);
        Assert.That(CsvCausalData.Read(lalonde, select).Data.CovariateNames, Has.Count.EqualTo(8));
        var e = Assert.Throws<SpecException>(() => CsvCausalData.Read(path, select))!;
        Assert.That(e.ToOneLine(), Does.StartWith($"{path}:58:"));
        Assert.That(e.ToOneLine(), Does.Contain("'abc' in column 'age'").And.Contain("613 of 614"));
    }

    [Test]
    public void Actg175_Cd496HasMissingValues_ThatAreRefusedOrDropped()
    {
        var path = Paths.Shared("data/real/actg175.csv");
        var select = new CsvCausalData.Selection("arms", "2", "1", "cd420", ["age", "cd40", "cd496"]);
        Assert.That(Assert.Throws<SpecException>(() => CsvCausalData.Read(path, select))!.ToOneLine(), Does.Contain("missing value ('NA') in column 'cd496'"));
        var r = CsvCausalData.Read(path, select with { Missing = MissingPolicy.Drop });
        Assert.That(r.RowsUsed + r.RowsDroppedMissing, Is.EqualTo(1046), "every row of the two arms is used or dropped, none lost");
        Assert.That(r.RowsDroppedMissing, Is.EqualTo(System.IO.File.ReadLines(path).Skip(1).Select(l => l.Split(','))
            .Count(f => f[^1] is "1" or "2" && f[20] == "NA")));
    }
}
