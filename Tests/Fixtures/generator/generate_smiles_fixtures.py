#!/usr/bin/env python3
"""Writes Tests/Fixtures/smiles/rdkit_reference.json: SMILES strings (real drug-like molecules,
RDKit-randomised and kekulised spellings of them, seeded random edits of them, hand-written edge
cases and deliberately broken strings, seeded garbage, a seeded sample of RDKit's NCI set and
edits of it) with RDKit's verdict on each: validity
(`Chem.MolFromSmiles` is not None), molecular formula (`rdMolDescriptors.CalcMolFormula`) and
average molecular weight (`Descriptors.MolWt`) for the valid ones. Deterministic (seeded).

`--heldout` instead writes a large held-out set to the ignored `Tests/Fixtures/large/`: the 5,000
NCI molecules shipped with RDKit (`Data/NCI/first_5K.smi`), their aromatic RDKit spellings and
seeded random edits of both, for the opt-in test that reads `PALIDOC_SMILES_HELDOUT`."""

import hashlib
import json
import pathlib
import random
import sys

import rdkit
from rdkit import Chem, RDConfig, RDLogger
from rdkit.Chem import Descriptors, rdMolDescriptors

RDLogger.DisableLog("rdApp.*")
OUT = pathlib.Path(__file__).resolve().parent.parent / "smiles"
NCI = pathlib.Path(RDConfig.RDDataDir) / "NCI" / "first_5K.smi"

# Real molecules (drugs, natural products, reagents), written by hand.
DRUGS = [
    "CC(=O)Oc1ccccc1C(=O)O",  # aspirin
    "Cn1cnc2c1c(=O)n(C)c(=O)n2C",  # caffeine
    "CC(C)Cc1ccc(cc1)[C@@H](C)C(=O)O",  # ibuprofen
    "CC(=O)Nc1ccc(O)cc1",  # paracetamol
    "CN1CCC[C@H]1c1cccnc1",  # nicotine
    "COc1ccc2[nH]cc(CCNC(C)=O)c2c1",  # melatonin
    "OC[C@H]1O[C@@H](O)[C@H](O)[C@@H](O)[C@@H]1O",  # glucose
    "CC1=C(C(=O)O)N2C(=O)[C@@H](NC(=O)Cc3ccccc3)[C@H]2SC1",  # cephalosporin-like
    "CC1(C)S[C@@H]2[C@H](NC(=O)Cc3ccccc3)C(=O)N2[C@H]1C(=O)O",  # penicillin G
    "CN1C(=O)CN=C(c2ccccc2)c2cc(Cl)ccc21",  # diazepam
    "CCN(CC)CCNC(=O)c1ccc(N)cc1",  # procainamide
    "CCOC(=O)C1=C(C)NC(C)=C(C(=O)OC)C1c1cccc(c1)[N+](=O)[O-]",  # nitrendipine
    "O=C(O)c1ccccc1O",  # salicylic acid
    "c1ccc2c(c1)ccc1ccccc12",  # phenanthrene
    "c1ccc2cc3ccccc3cc2c1",  # anthracene
    "c1ccc2[nH]ccc2c1",  # indole
    "c1ccc2ncccc2c1",  # quinoline
    "c1cnc2[nH]cnc2c1",  # imidazopyridine
    "Nc1ncnc2[nH]cnc12",  # adenine
    "O=c1[nH]cnc2[nH]cnc12",  # hypoxanthine
    "Cc1c[nH]c(=O)[nH]c1=O",  # thymine
    "Nc1cc[nH]c(=O)n1",  # cytosine tautomer
    "O=C1NC(=O)c2ccccc21",  # phthalimide
    "CC(C)NCC(O)COc1cccc2ccccc12",  # propranolol
    "CNCCC(Oc1ccc(cc1)C(F)(F)F)c1ccccc1",  # fluoxetine
    "CN(C)CCCN1c2ccccc2CCc2ccccc21",  # imipramine
    "Clc1ccc(cc1)C(c1ccccc1)N1CCNCC1",  # norchlorcyclizine
    "COc1cc2c(cc1OC)C(=O)C(CC1CCN(Cc3ccccc3)CC1)C2",  # donepezil
    "CC(C)(C)NCC(O)c1ccc(O)c(CO)c1",  # salbutamol
    "NCCc1ccc(O)c(O)c1",  # dopamine
    "CN[C@@H](C)[C@H](O)c1ccccc1",  # ephedrine
    "C[C@]12CC[C@H]3[C@@H](CCc4cc(O)ccc43)[C@@H]1CC[C@@H]2O",  # estradiol
    "CC(=O)[C@H]1CC[C@H]2[C@@H]3CCC4=CC(=O)CC[C@]4(C)[C@H]3CC[C@]12C",  # progesterone
    "OC(=O)CCCCC1SCC2NC(=O)NC12",  # biotin
    "Cc1ncc(C[n+]2csc(CCO)c2C)c(N)n1",  # thiamine
    "CC1=C(C=CC(C)=CC=CC(C)=CCO)C(C)(C)CCC1",  # retinol (no stereo)
    "O=C(O)C(F)(F)F",  # TFA
    "CS(C)=O",  # DMSO
    "O=S(=O)(O)O",  # sulfuric acid
    "OP(=O)(O)O",  # phosphoric acid
    "C[Si](C)(C)Cl",  # TMSCl
    "[Na+].[Cl-]",  # salt
    "[NH4+].[NH4+].[O-]S([O-])(=O)=O",  # ammonium sulfate
    "O=[N+]([O-])c1ccc(cc1)N",  # 4-nitroaniline
    "N#Cc1ccccc1",  # benzonitrile
    "C#C",  # acetylene
    "C=C",  # ethylene
    "C1CCCCC1",  # cyclohexane
    "C1=CC=CC=C1",  # benzene (Kekule)
    "c1ccsc1",  # thiophene
    "c1ccoc1",  # furan
    "c1cc[nH]c1",  # pyrrole
    "c1ncc[nH]1",  # imidazole
    "c1cn[nH]c1",  # pyrazole
    "c1nnc[nH]1",  # triazole
    "c1nnn[nH]1",  # tetrazole
    "c1ccncc1",  # pyridine
    "c1cnccn1",  # pyrazine
    "c1ccc2occc2c1",  # benzofuran
    "c1ccc2sccc2c1",  # benzothiophene
    "c1ccc2c(c1)[nH]c1ccccc12",  # carbazole
    "O=C1C=CC(=O)C=C1",  # benzoquinone
    "O=c1ccc2ccccc2o1",  # coumarin
    "O=c1cc(-c2ccccc2)oc2ccccc12",  # flavone
    "CC(C)C[C@H](NC(=O)[C@@H](Cc1ccccc1)NC(=O)c1cnccn1)B(O)O",  # bortezomib
    "CC(C)Cc1ccc(cc1)C(C)C(=O)[O-].[Na+]",  # ibuprofen sodium
    "[2H]C([2H])([2H])Oc1ccccc1",  # deuterated anisole
    "[13CH3]C(=O)O",  # 13C acetic acid
    "[18F]CC1OC(O)C(O)C(O)C1O",  # FDG-like
    "Cl[Pt](Cl)([NH3])[NH3]",  # cisplatin (dative written as single)
    "[Fe+2].[O-]C(=O)CC(O)(CC(=O)[O-])C(=O)O",  # ferrous citrate-ish
    "C[N+](C)(C)CC(=O)[O-]",  # betaine
    "NC(=[NH2+])N",  # guanidinium
    "F[B-](F)(F)F",  # tetrafluoroborate
    "C1CC2CCC1C2",  # norbornane
    "C12C3C4C1C5C2C3C45",  # cubane
    "C1CC%10CC1CC%10",  # bicycle with %nn
    "CCCCCCCCCCCCCCCC(=O)OC[C@H](COP(=O)([O-])OCC[N+](C)(C)C)OC(=O)CCCCCCCCCCCCCCC",  # DPPC
    "F/C=C/F",  # trans difluoroethene
    "F/C=C\\F",  # cis difluoroethene
    "C/C=C/C=C/C(=O)O",  # sorbic acid
    "OC(=O)/C=C\\C(=O)O",  # maleic acid
    "N[C@@H](CS)C(=O)O",  # cysteine
    "N[C@@H](Cc1c[nH]c2ccccc12)C(=O)O",  # tryptophan
    "N[C@@H](Cc1cnc[nH]1)C(=O)O",  # histidine
    "NC(=O)c1cccnc1",  # nicotinamide
    "C[C@@H]1CC[C@H](C(C)C)[C@@H](O)C1",  # menthol
    "CC(C)=CCC/C(C)=C/CO",  # geraniol
    "COC(=O)C1C(OC(=O)c2ccccc2)CC2CCC1N2C",  # cocaine
    "CN1CC[C@]23c4c5ccc(O)c4O[C@H]2[C@@H](O)C=C[C@H]3[C@H]1C5",  # morphine
    "CCN(CC)C(=O)[C@H]1C=C2c3cccc4[nH]cc(c34)C[C@H]2N(C)C1",  # LSD
    "Cc1cc(C)c(/N=N/c2ccc(cc2)S(=O)(=O)O)c(C)c1",  # azo dye
    "O=C([O-])c1ccccc1.[K+]",  # potassium benzoate
    "[Cu+2].[O-]S(=O)(=O)[O-]",  # copper sulfate
    "c1ccc(cc1)P(c1ccccc1)c1ccccc1",  # triphenylphosphine
    "CCOP(=S)(OCC)Oc1ccc(cc1)[N+](=O)[O-]",  # parathion
    "Clc1ccc(Cl)c(Cl)c1",  # trichlorobenzene
    "BrC(Br)Br",  # bromoform
    "ICI",  # diiodomethane
    "OB(O)c1ccccc1",  # phenylboronic acid
    "c1ccc2c(c1)oc1ccccc12",  # dibenzofuran
    "c1cc2ccc3cccc4ccc(c1)c2c34",  # pyrene
    "c1ccc-2c(c1)-c1ccccc1-2",  # biphenylene (explicit single)
    "C1=CC2=CC=CC=CC2=C1",  # azulene (Kekule)
    "c1ccc2cccc2cc1",  # azulene (aromatic)
    "[se]1cccc1",  # selenophene
    "c1ccc2c(c1)[se]c1ccccc12",  # dibenzoselenophene
    "O=[Se]=O",  # selenium dioxide
    "Oc1ccc(cc1)-c1ccccc1",  # 4-phenylphenol
    "*c1ccccc1",  # phenyl with attachment point
    "[*:1]C(=O)[*:2]",  # mapped dummies
    "C[C@H](N)C(=O)N[C@@H](C)C(=O)O",  # Ala-Ala
    "CC(=O)OCC[N+](C)(C)C",  # acetylcholine
    "O=C1CCCN1",  # pyrrolidone
    "O=C1OC(=O)c2ccccc12",  # phthalic anhydride
    "S=C=S",  # carbon disulfide
    "[C-]#[O+]",  # carbon monoxide
    "[O-][N+]#N",  # nitrous oxide
    "N=[N+]=[N-]",  # azide
    "CS(=O)(=O)Nc1ccc(cc1)[N+](=O)[O-]",  # sulfonamide
    "c1ccc2[nH]c(nc2c1)-c1cscn1",  # thiabendazole
    "Cn1c(=O)c2c(ncn2C)n(C)c1=O",  # caffeine (other spelling)
    "CC12CCC3c4ccc(O)cc4CCC3C1CCC2=O",  # estrone (no stereo)
]

# Hand-written edge cases (most of them valid) and deliberately broken strings.
EDGE = [
    "C", "[H]", "[H+]", "[H-]", "[HH]", "[2H]", "[2HH]", "[H][H]", "[H]C([H])([H])[H]", "[HH2]",
    "[0C]", "[13CH4]", "[999C]", "[1000C]", "[100C]", "[2H]C", "[CH4]", "[CH5]", "[CH10]",
    "[C]", "[CH2]", "[CH3]", "[CH3+]", "[CH3-]", "[C++]", "[C+3]", "[C+++]", "[C++++]", "[C+0]",
    "[C-0]", "[C+10]", "[C-+]", "[C+-]", "[NH4+]", "[Fe++]", "[Fe+2]", "[Na+]", "[Na-]", "[NaH]",
    "[NaH2]", "[O-2]", "[O-]C", "[BH4-]", "[B-](F)(F)(F)F", "[AlH4-]", "[SiH6-2]", "[SH6]",
    "[SH7]", "[IH3]", "[IH5]", "[IH7]", "[He]", "[He]C", "[Xe](F)F", "[U]", "[Og]", "[Ts]",
    "[Uuo]", "[Xx]", "[Hg]", "[h]", "[cl]", "[CL]", "[Cl]", "[C H4]", "[ CH4]", "[cH4]",
    "[Cl+](C)(C)(C)C", "[Cl+](C)C", "[S+](C)(C)(C)C", "[S+](C)(C)(C)(C)C", "[P+](C)(C)(C)C",
    "[P+](C)(C)(C)(C)C", "[N-](C)C", "[N-](C)(C)C", "[O+](C)(C)C", "[O+](C)(C)(C)C",
    "[C+](C)(C)C", "[C+](C)(C)(C)C", "[C-](C)(C)C", "[C-](C)(C)(C)C", "[B+](C)C", "[B+](C)(C)C",
    "[BH4+]", "[N+2](C)(C)(C)C", "[Mg](C)C", "[Mg](C)(C)C", "[Al](C)(C)C", "[Al](C)(C)(C)C",
    "[Si](C)(C)(C)(C)C", "[I+](C)C", "[I-](C)C", "[Fe](C)(C)(C)(C)(C)(C)(C)C",
    "CN(=O)=O", "C[N+](=O)[O-]", "ClCl(Cl)Cl", "ICl(Cl)Cl", "IC(F)(F)F", "FC(F)(F)(F)F",
    "C(=O)=O=O", "O=O=O", "C=C=C=C", "C#C#C", "N#N#N", "[N](=O)(=O)(=O)", "P(Cl)(Cl)(Cl)(Cl)Cl",
    "P(Cl)(Cl)(Cl)(Cl)(Cl)Cl", "S(F)(F)(F)(F)(F)F", "S(F)(F)(F)(F)(F)(F)F", "OS(=O)(=O)(=O)O",
    "B(C)(C)C", "B(C)(C)(C)C", "BC", "C$C", "[Ga]$[Ga]", "C:C", "c:c", "C1:C:C:C:C:C1",
    "[C@TH1](F)(Cl)Br", "[C@TH2](F)(Cl)Br", "[C@TH3](F)(Cl)Br", "[C@AL1]", "[C@AL2]", "[C@AL3]",
    "[C@SP1]", "[C@SP3]", "[C@SP4]", "[C@TB1]", "[C@TB20]", "[C@TB21]", "[C@OH1]", "[C@OH30]",
    "[C@OH31]", "[C@@@H](F)(Cl)Br", "[C@H@](F)", "[C@@H+](F)", "[CH+@](F)", "[C@@H](F)(Cl)Br",
    "[13C@H](F)(Cl)Br", "[C@H:2](F)(Cl)Br", "[C:2@H]", "[C+:2]", "[C:02]", "[C:123456]",
    "[CH3:1]C", "[CH3:]C", "[C@TH](F)", "[C@T]", "[C@]", "[C@@]", "N[C@](C)(F)C(=O)O",
    "C11", "C12CC12", "C1C1", "C1CC11", "C11CC1", "C1.C1", "C1CC1.", ".C", "C..C", "C=.C", "C=",
    "C(C", "C)C", "C((C))", "()C", "C()C", "C(.C)C", "C=(O)C", "C(=)C", "C(C)(C)(C)(C)C",
    "C=1CC-1", "C=1CC=1", "C=1CC#1", "C#1CC=1", "C-1CC1", "C1CC-1", "C-1CC=1", "C1CC1C1CC1",
    "C%10CC%10", "C%1CC%1", "C%99CC%99", "C%100CC%10", "C%(123)CC%(123)", "C0CC0", "C%00CC%00",
    "c1ccccc1%10", "C1CCCCC", "C1CC2CCC1", "F/C=C//F", "C\\C", "C/1CCC/1", "/C", "C/",
    "C(/F)=C/F", "F/C=C/C=C/C", "*", "[*]", "*C", "**", "[1*]C", "[*+]",
    "c", "cC", "cc", "c1cc", "c1ccccc1", "c1ccccc1c1ccccc1", "c1ccccc1-c1ccccc1", "c1ccnc1",
    "n1cccc1", "[nH]1cccc1", "c1cc[nH]c1", "c1cc[c]cc1", "c1cc[c-]c1", "c1cc[cH-]c1",
    "[c-]1cccc1", "[cH-]1cccc1", "[CH-]1C=CC=C1", "c1cccc1", "c1ccccccc1", "c1ccccccc1c",
    "c1cccc1c1cccc1", "c1ccc2c(c1)cccc2", "Cc1c[nH]c2ccccc12", "c1ccc[se]1", "c1ccc[te]1",
    "[te]", "c1cc[si]cc1", "[si]1cccc1", "[as]1cccc1", "[b]1cccc1", "b1ccccc1", "[bH]1cccc1",
    "c1ccocc1", "c1cocc1", "o1cccc1", "[o]1cccc1", "[o+]1ccccc1", "[n+]1ccccc1",
    "[nH+]1ccccc1", "c1cc[n-]c1", "[s+]1cccc1", "c1cc[s+]cc1", "c1ccs(=O)c1",
    "c1ccs(=O)(=O)c1", "O=s1cccc1", "p1ccccc1", "c1ccpc1", "[pH]1cccc1", "c1cc[pH]c1",
    "c1ccccc1=O", "O=c1cc[nH]cc1", "O=c1ccccc1", "O=c1cccc1", "c1ccccc1[N+](=O)[O-]",
    "c1ccccc1N(=O)=O", "C1=CC=CC=C1=C", "c1ccc2ccccc2c1", "c1ccc2cccc2c1", "c12ccccc1cccc2",
    "c1ccc2c(c1)c1ccccc1c2", "c1ccc2c(c1)Cc1ccccc1-2", "C1=CC=CN=C1", "c1ccnnc1", "n1ccccn1",
    "c1nc[nH]n1", "c1nccn1", "o1ccnc1", "s1ccnc1", "c1ccc(cc1)C(=O)c1ccccc1", "C1=Cc2ccccc2C1",
    "c1ccc2c(c1)[nH]c1ccccc21", "n1c2ccccc2c2ccccc12", "[nH]1c2ccccc2c2ccccc12", "c1ccc2nc[nH]c2c1",
    "c1ccc2ncnc2c1", "c1nc2ccccc2[nH]1", "c1ccc2[nH]cnc2c1", "Cn1cccc1", "Cn1ccnc1", "Cn1ccccc1",
    "C[n+]1ccccc1", "[O-][n+]1ccccc1", "O=n1ccccc1", "c1c[nH]cc1", "c1cc[o+]c1", "c1cc[s]c1",
    "c1cc[sH]c1", "c1cc[S]c1", "c1cc*cc1", "*1ccccc1", "c1ccc*1", "c1cccc2c1**2",
    "NCCc1ccc(O)(O)=c1", "O=c1cccc=1", "c1ccc(\\1)C", "c1ccn2cccc2c1", "n12ccccc1cccc2",
    "c1(C)(C)ccccc1", "[NH3][Pt]", "C[NH3][Pt]", "C(C)(C)(C)(C)[Fe]", "[O-]N[H+]", "[H+]C", "[H-]C",
    "[2H+]C", "[H][H+]", "C[H+]C", "[H]([H])C", "[NH3]->[Cu+2]<-[NH3]", "C->C", "C<-C", "C<C", "[HH]C", "C[H:1]", "[2HH]C", "C[HH]C", "[HH-]C", "[HH]([H])", "[HH][HH]", "[HH+]C", "C(C.C)C", "C(.C)", "C1=CSC=C1", "c1ccccc1C", "c1ccccc1Cc", "c1cccc(c1)", "c1ccc(c1)C",
    "C(", ")", "(", "[", "]", "[C", "C]", "[]", "[C]]", "[[C]]", "=C", "#", "%", "%1", "C%", "C%1",
    "C%a", "C%(", "C%()CC%()", "C%(1)CC%(1)", "1C", "C1C2", "C12", "Cc", "cN", "C.c", "Cl", "Br",
    "B", "Bc", "Cn", "CCl", "ClC", "CBr", "Cb", "Cs", "Sc", "[Cs]", "[Sc]", "Zn", "[Zn]", "[zn]",
    "Na", "[Na]", "K", "[K]", "X", "A", "Q", "c1ccccc1?", "CC C", " CC", "CC\n", "C\tC", "CC-",
    "CC=(C)C", "C-C-C", "C--C", "C==C", "C=#C", "C(-C)C", "C(=C)C", "C(#C)C", "C($C)C", "C(:C)C",
    "C(C)C)", "C((C)C", "CC(C)(C)(C)(C)(C)C", "N(C)(C)(C)C", "[N+](C)(C)(C)C", "O(C)C", "[OH3+]",
    "[OH2]", "[OH]", "[O]", "[O-]", "[O--]", "[O-3]", "[F+]", "[F-]", "[FH2+]", "[ClH2+]",
]

ALPHABET = list("CNOSPFBrcnosp()[]=#-+@H1234%/\\.") + ["Cl", "Br", "[nH]", "[NH+]", "[O-]"]


def mutate(smiles: str, rng: random.Random) -> str:
    """One or two random character-level edits (delete, insert, replace, swap, duplicate)."""
    s = smiles
    for _ in range(rng.choice([1, 1, 2])):
        if not s:
            break
        i = rng.randrange(len(s))
        op = rng.choice(["delete", "insert", "replace", "swap", "duplicate"])
        if op == "delete":
            s = s[:i] + s[i + 1:]
        elif op == "insert":
            s = s[:i] + rng.choice(ALPHABET) + s[i:]
        elif op == "replace":
            s = s[:i] + rng.choice(ALPHABET) + s[i + 1:]
        elif op == "swap" and i + 1 < len(s):
            s = s[:i] + s[i + 1] + s[i] + s[i + 2:]
        else:
            s = s[:i] + s[i] + s[i:]
    return s


def garbage(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(1, 15)))


def reference_cases(strings: list[str]) -> list[dict]:
    """RDKit's verdict (validity, formula, weight) on each distinct non-blank string."""
    seen: set[str] = set()
    cases = []
    for smiles in strings:
        # RDKit reads "" (and whitespace) as an empty molecule; palidoc flags it as no molecule.
        if smiles in seen or not smiles.strip():
            continue
        seen.add(smiles)
        mol = Chem.MolFromSmiles(smiles)
        case = {"smiles": smiles, "valid": mol is not None}
        if mol is not None:
            case["formula"] = rdMolDescriptors.CalcMolFormula(mol)
            case["weight"] = round(Descriptors.MolWt(mol), 6)
        cases.append(case)
    return cases


def heldout() -> None:
    rng = random.Random(7)
    strings = [line.split()[0] for line in NCI.read_text().splitlines() if line.strip()]
    aromatic = []
    for smiles in strings:
        mol = Chem.MolFromSmiles(smiles)
        if mol is not None:
            aromatic.append(Chem.MolToSmiles(mol))
    edits = [mutate(rng.choice(strings + aromatic), rng) for _ in range(20000)]
    cases = reference_cases(strings + aromatic + edits)
    out = OUT.parent / "large"
    out.mkdir(parents=True, exist_ok=True)
    (out / "smiles_heldout.json").write_text(json.dumps(cases) + "\n")
    print(f"{len(cases)} held-out cases, {sum(1 for c in cases if c['valid'])} valid")


def main() -> None:
    rng = random.Random(20261129)
    strings: list[str] = []
    strings += DRUGS + EDGE
    for index, smiles in enumerate(DRUGS):
        mol = Chem.MolFromSmiles(smiles)
        assert mol is not None, smiles
        strings += list(Chem.MolToRandomSmilesVect(mol, 2, randomSeed=1000 + index))
        kekule = Chem.Mol(mol)
        Chem.Kekulize(kekule, clearAromaticFlags=True)
        strings.append(Chem.MolToSmiles(kekule, kekuleSmiles=True))
    for _ in range(900):
        strings.append(mutate(rng.choice(DRUGS + EDGE), rng))
    for _ in range(80):
        strings.append(garbage(rng))
    # A seeded sample of the NCI molecules shipped with RDKit, in their Kekule and aromatic
    # spellings, and random edits of those.
    nci = [line.split()[0] for line in NCI.read_text().splitlines() if line.strip()]
    sample = rng.sample(nci, 250)
    aromatic = [Chem.MolToSmiles(m) for m in map(Chem.MolFromSmiles, sample) if m is not None]
    strings += sample + aromatic
    strings += [mutate(rng.choice(sample + aromatic), rng) for _ in range(500)]
    cases = reference_cases(strings)
    OUT.mkdir(parents=True, exist_ok=True)
    data = json.dumps(cases, indent=0, ensure_ascii=True) + "\n"
    (OUT / "rdkit_reference.json").write_text(data)
    manifest = {
        "generator": "Tests/Fixtures/generator/generate_smiles_fixtures.py",
        "versions": {"rdkit": rdkit.__version__},
        "cases": len(cases),
        "valid": sum(1 for c in cases if c["valid"]),
        "files": {"rdkit_reference.json": hashlib.sha256(data.encode()).hexdigest()},
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"{len(cases)} cases, {manifest['valid']} valid")


if __name__ == "__main__":
    heldout() if "--heldout" in sys.argv[1:] else main()
