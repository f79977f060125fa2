using System.Collections;

namespace BugHunt.Core.Mutants;

/// <summary>
/// A kind of machine-made fault. <see cref="Category"/> is the class of real deep-learning faults it
/// imitates in the taxonomy of Humbatova et al. (ICSE 2020): "model", "tensors and inputs",
/// "training" or "API".
/// </summary>
public sealed record MutationOperator(string Name, string Category, string Description);

/// <summary>
/// The reference with exactly one machine-made change. <see cref="Id"/> is
/// <c>operator:file:member:hash</c>; the hash covers the enclosing member, the statement around the
/// change, the original and replaced text and which of several identical changes it is, never an
/// offset, so an edit elsewhere in the file leaves the id alone and an author can declare a mutant
/// equivalent by its id. <see cref="Files"/> is the whole reference file set, one file changed.
/// </summary>
public sealed record Mutant(
    string Id,
    string Operator,
    string File,
    int Line,
    string Description,
    IReadOnlyDictionary<string, string> Files);

/// <summary>
/// The mutants of one challenge, after deduplication and the cap. <see cref="Hash"/> identifies the
/// inputs (reference files, editable names, cap, <see cref="Mutator.Version"/>), so a validator may
/// cache its verdicts under it. <see cref="Candidates"/> counts distinct mutants before the cap;
/// <see cref="Dropped"/> of them did not fit.
/// </summary>
public sealed class MutantSet : IReadOnlyList<Mutant>
{
    private readonly IReadOnlyList<Mutant> _mutants;

    internal MutantSet(string hash, IReadOnlyList<Mutant> mutants, int candidates, IReadOnlyDictionary<string, int> candidatesByOperator)
    {
        Hash = hash;
        _mutants = mutants;
        Candidates = candidates;
        CandidatesByOperator = candidatesByOperator;
    }

    public string Hash { get; }

    public int Candidates { get; }

    public int Dropped => Candidates - _mutants.Count;

    /// <summary>Distinct mutants per operator before the cap; operators that found nothing are absent.</summary>
    public IReadOnlyDictionary<string, int> CandidatesByOperator { get; }

    public int Count => _mutants.Count;

    public Mutant this[int index] => _mutants[index];

    public IEnumerator<Mutant> GetEnumerator() => _mutants.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
