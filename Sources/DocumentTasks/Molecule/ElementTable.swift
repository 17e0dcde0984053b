/// Per-element data for SMILES analysis: symbols, standard atomic weights, the allowed valence
/// states RDKit uses for its valence checks, and isotope masses. Weights and valence lists are the
/// values of RDKit 2026.09.1's periodic table (IUPAC standard atomic weights, abridged); a valence
/// list holding -1 means "any valence" (metals). Isotope masses cover every naturally occurring
/// isotope plus the common radiolabels; other isotopes weigh their mass number, as in RDKit when
/// it has no mass for an isotope.
enum ElementTable {
    /// One element's row.
    struct Element {
        /// Symbol as written in SMILES (`Cl`, `Og`).
        let symbol: String
        /// Standard atomic weight in g/mol.
        let weight: Double
        /// Allowed valences, ascending; `[-1]` or a trailing -1 means unrestricted.
        let valences: [Int]
    }

    /// Elements by atomic number; index 0 is the wildcard `*`.
    static let elements: [Element] = [
        Element(symbol: "*", weight: 0.0, valences: [-1]),
        Element(symbol: "H", weight: 1.008, valences: [1]),
        Element(symbol: "He", weight: 4.003, valences: [0]),
        Element(symbol: "Li", weight: 6.941, valences: [1, -1]),
        Element(symbol: "Be", weight: 9.012, valences: [2]),
        Element(symbol: "B", weight: 10.812, valences: [3]),
        Element(symbol: "C", weight: 12.011, valences: [4]),
        Element(symbol: "N", weight: 14.007, valences: [3]),
        Element(symbol: "O", weight: 15.999, valences: [2]),
        Element(symbol: "F", weight: 18.998, valences: [1]),
        Element(symbol: "Ne", weight: 20.18, valences: [0]),
        Element(symbol: "Na", weight: 22.99, valences: [1, -1]),
        Element(symbol: "Mg", weight: 24.305, valences: [2, -1]),
        Element(symbol: "Al", weight: 26.982, valences: [3]),
        Element(symbol: "Si", weight: 28.086, valences: [4]),
        Element(symbol: "P", weight: 30.974, valences: [3, 5]),
        Element(symbol: "S", weight: 32.067, valences: [2, 4, 6]),
        Element(symbol: "Cl", weight: 35.453, valences: [1]),
        Element(symbol: "Ar", weight: 39.948, valences: [0]),
        Element(symbol: "K", weight: 39.098, valences: [1, -1]),
        Element(symbol: "Ca", weight: 40.078, valences: [2, -1]),
        Element(symbol: "Sc", weight: 44.956, valences: [-1]),
        Element(symbol: "Ti", weight: 47.867, valences: [-1]),
        Element(symbol: "V", weight: 50.944, valences: [-1]),
        Element(symbol: "Cr", weight: 51.996, valences: [-1]),
        Element(symbol: "Mn", weight: 54.938, valences: [-1]),
        Element(symbol: "Fe", weight: 55.845, valences: [-1]),
        Element(symbol: "Co", weight: 58.933, valences: [-1]),
        Element(symbol: "Ni", weight: 58.693, valences: [-1]),
        Element(symbol: "Cu", weight: 63.546, valences: [-1]),
        Element(symbol: "Zn", weight: 65.39, valences: [-1]),
        Element(symbol: "Ga", weight: 69.723, valences: [3]),
        Element(symbol: "Ge", weight: 72.61, valences: [4]),
        Element(symbol: "As", weight: 74.922, valences: [3, 5]),
        Element(symbol: "Se", weight: 78.96, valences: [2, 4, 6]),
        Element(symbol: "Br", weight: 79.904, valences: [1]),
        Element(symbol: "Kr", weight: 83.8, valences: [0]),
        Element(symbol: "Rb", weight: 85.468, valences: [1, -1]),
        Element(symbol: "Sr", weight: 87.62, valences: [2, -1]),
        Element(symbol: "Y", weight: 88.906, valences: [-1]),
        Element(symbol: "Zr", weight: 91.224, valences: [-1]),
        Element(symbol: "Nb", weight: 92.906, valences: [-1]),
        Element(symbol: "Mo", weight: 95.94, valences: [-1]),
        Element(symbol: "Tc", weight: 98.0, valences: [-1]),
        Element(symbol: "Ru", weight: 101.07, valences: [-1]),
        Element(symbol: "Rh", weight: 102.906, valences: [-1]),
        Element(symbol: "Pd", weight: 106.42, valences: [-1]),
        Element(symbol: "Ag", weight: 107.868, valences: [-1]),
        Element(symbol: "Cd", weight: 112.412, valences: [-1]),
        Element(symbol: "In", weight: 114.818, valences: [3]),
        Element(symbol: "Sn", weight: 118.711, valences: [2, 4]),
        Element(symbol: "Sb", weight: 121.76, valences: [3, 5]),
        Element(symbol: "Te", weight: 127.6, valences: [2, 4, 6]),
        Element(symbol: "I", weight: 126.904, valences: [1, 3, 5]),
        Element(symbol: "Xe", weight: 131.29, valences: [0, 2, 4, 6]),
        Element(symbol: "Cs", weight: 132.905, valences: [1]),
        Element(symbol: "Ba", weight: 137.328, valences: [2, -1]),
        Element(symbol: "La", weight: 138.906, valences: [-1]),
        Element(symbol: "Ce", weight: 140.116, valences: [-1]),
        Element(symbol: "Pr", weight: 140.908, valences: [-1]),
        Element(symbol: "Nd", weight: 144.24, valences: [-1]),
        Element(symbol: "Pm", weight: 145.0, valences: [-1]),
        Element(symbol: "Sm", weight: 150.36, valences: [-1]),
        Element(symbol: "Eu", weight: 151.964, valences: [-1]),
        Element(symbol: "Gd", weight: 157.25, valences: [-1]),
        Element(symbol: "Tb", weight: 158.925, valences: [-1]),
        Element(symbol: "Dy", weight: 162.5, valences: [-1]),
        Element(symbol: "Ho", weight: 164.93, valences: [-1]),
        Element(symbol: "Er", weight: 167.26, valences: [-1]),
        Element(symbol: "Tm", weight: 168.934, valences: [-1]),
        Element(symbol: "Yb", weight: 173.04, valences: [-1]),
        Element(symbol: "Lu", weight: 174.967, valences: [-1]),
        Element(symbol: "Hf", weight: 178.49, valences: [-1]),
        Element(symbol: "Ta", weight: 180.948, valences: [-1]),
        Element(symbol: "W", weight: 183.84, valences: [-1]),
        Element(symbol: "Re", weight: 186.207, valences: [-1]),
        Element(symbol: "Os", weight: 190.23, valences: [-1]),
        Element(symbol: "Ir", weight: 192.217, valences: [-1]),
        Element(symbol: "Pt", weight: 195.078, valences: [-1]),
        Element(symbol: "Au", weight: 196.967, valences: [-1]),
        Element(symbol: "Hg", weight: 200.59, valences: [-1]),
        Element(symbol: "Tl", weight: 204.383, valences: [-1]),
        Element(symbol: "Pb", weight: 207.2, valences: [2, 4]),
        Element(symbol: "Bi", weight: 208.98, valences: [3, 5]),
        Element(symbol: "Po", weight: 209.0, valences: [2, 4, 6]),
        Element(symbol: "At", weight: 210.0, valences: [1, 3, 5]),
        Element(symbol: "Rn", weight: 222.0, valences: [0]),
        Element(symbol: "Fr", weight: 223.0, valences: [1]),
        Element(symbol: "Ra", weight: 226.0, valences: [2, -1]),
        Element(symbol: "Ac", weight: 227.0, valences: [-1]),
        Element(symbol: "Th", weight: 232.038, valences: [-1]),
        Element(symbol: "Pa", weight: 231.036, valences: [-1]),
        Element(symbol: "U", weight: 238.029, valences: [-1]),
        Element(symbol: "Np", weight: 237.0, valences: [-1]),
        Element(symbol: "Pu", weight: 244.0, valences: [-1]),
        Element(symbol: "Am", weight: 243.0, valences: [-1]),
        Element(symbol: "Cm", weight: 247.0, valences: [-1]),
        Element(symbol: "Bk", weight: 247.0, valences: [-1]),
        Element(symbol: "Cf", weight: 251.0, valences: [-1]),
        Element(symbol: "Es", weight: 252.0, valences: [-1]),
        Element(symbol: "Fm", weight: 257.0, valences: [-1]),
        Element(symbol: "Md", weight: 258.0, valences: [-1]),
        Element(symbol: "No", weight: 259.0, valences: [-1]),
        Element(symbol: "Lr", weight: 262.0, valences: [-1]),
        Element(symbol: "Rf", weight: 267.0, valences: [-1]),
        Element(symbol: "Db", weight: 268.0, valences: [-1]),
        Element(symbol: "Sg", weight: 269.0, valences: [-1]),
        Element(symbol: "Bh", weight: 270.0, valences: [-1]),
        Element(symbol: "Hs", weight: 269.0, valences: [-1]),
        Element(symbol: "Mt", weight: 278.0, valences: [-1]),
        Element(symbol: "Ds", weight: 281.0, valences: [-1]),
        Element(symbol: "Rg", weight: 281.0, valences: [-1]),
        Element(symbol: "Cn", weight: 285.0, valences: [-1]),
        Element(symbol: "Nh", weight: 284.0, valences: [-1]),
        Element(symbol: "Fl", weight: 289.0, valences: [-1]),
        Element(symbol: "Mc", weight: 288.0, valences: [-1]),
        Element(symbol: "Lv", weight: 293.0, valences: [-1]),
        Element(symbol: "Ts", weight: 292.0, valences: [-1]),
        Element(symbol: "Og", weight: 294.0, valences: [-1]),
    ]

    /// Atomic numbers whose formal charge counts with the opposite sign in RDKit's kekulisation
    /// candidate test (`isEarlyAtom`: elements left of carbon and a few heavier ones).
    static let earlyAtoms: Set<Int> = [
        3, 4, 5, 11, 12, 13, 19, 20, 21, 22, 30, 31, 32, 37, 38, 39, 40, 41, 48, 49, 50, 51, 55,
        56, 57, 58, 59, 60, 61, 72, 73, 80, 81, 82, 83, 87, 88, 89, 90, 91, 92, 93, 104, 105,
        106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118
    ]

    /// Exact isotope masses in g/mol, keyed by `atomicNumber * 1000 + massNumber`.
    static let isotopeMasses: [Int: Double] = [
        1001: 1.007825032, 1002: 2.014101778, 1003: 3.016049278, 2003: 3.016029319, 2004:
        4.002603254, 3006: 6.015122795, 3007: 7.01600455, 4009: 9.0121822, 5010: 10.012937, 5011:
        11.0093054, 6011: 11.0114336, 6012: 12.0, 6013: 13.00335484, 6014: 14.00324199, 7013:
        13.00573861, 7014: 14.003074, 7015: 15.0001089, 8015: 15.0030656, 8016: 15.99491462, 8017:
        16.9991317, 8018: 17.999161, 9018: 18.000938, 9019: 18.99840322, 10020: 19.99244018, 10021:
        20.99384668, 10022: 21.99138511, 11022: 21.9944364, 11023: 22.98976928, 12024: 23.9850417,
        12025: 24.98583692, 12026: 25.98259293, 13027: 26.98153863, 14028: 27.97692653, 14029:
        28.9764947, 14030: 29.97377017, 15031: 30.97376163, 15032: 31.97390727, 15033: 32.9717255,
        16032: 31.972071, 16033: 32.97145876, 16034: 33.9678669, 16035: 34.96903216, 16036:
        35.96708076, 17035: 34.96885268, 17036: 35.96830698, 17037: 36.96590259, 18036: 35.96754511,
        18038: 37.9627324, 18040: 39.96238312, 19039: 38.96370668, 19040: 39.96399848, 19041:
        40.96182576, 20040: 39.96259098, 20042: 41.95861801, 20043: 42.9587666, 20044: 43.9554818,
        20045: 44.9561866, 20046: 45.9536926, 20048: 47.952534, 21045: 44.9559119, 22046:
        45.9526316, 22047: 46.9517631, 22048: 47.9479463, 22049: 48.94787, 22050: 49.9447912, 23050:
        49.9471585, 23051: 50.9439595, 24050: 49.9460442, 24052: 51.9405075, 24053: 52.9406494,
        24054: 53.9388804, 25055: 54.9380451, 26054: 53.9396105, 26056: 55.9349375, 26057:
        56.935394, 26058: 57.9332756, 26059: 58.9348755, 27057: 56.9362914, 27059: 58.933195, 27060:
        59.9338171, 28058: 57.9353429, 28060: 59.9307864, 28061: 60.931056, 28062: 61.9283451,
        28064: 63.927966, 29063: 62.9295975, 29064: 63.9297642, 29065: 64.9277895, 30064:
        63.9291422, 30066: 65.9260334, 30067: 66.9271273, 30068: 67.9248442, 30070: 69.9253193,
        31067: 66.9282017, 31069: 68.9255736, 31071: 70.9247013, 32070: 69.9242474, 32072:
        71.9220758, 32073: 72.9234589, 32074: 73.9211778, 32076: 75.9214026, 33075: 74.9215965,
        34074: 73.9224764, 34075: 74.9225234, 34076: 75.9192136, 34077: 76.919914, 34078:
        77.9173091, 34080: 79.9165213, 34082: 81.9166994, 35079: 78.9183371, 35081: 80.9162906,
        36078: 77.9203648, 36080: 79.916379, 36082: 81.9134836, 36083: 82.914136, 36084: 83.911507,
        36086: 85.91061073, 37085: 84.91178974, 37087: 86.90918053, 38084: 83.913425, 38086:
        85.9092602, 38087: 86.9088771, 38088: 87.9056121, 38089: 88.9074507, 39089: 88.9058483,
        39090: 89.9071519, 40090: 89.9047044, 40091: 90.9056458, 40092: 91.9050408, 40094:
        93.9063152, 40096: 95.9082734, 41093: 92.9063781, 42092: 91.906811, 42094: 93.9050883,
        42095: 94.9058421, 42096: 95.9046795, 42097: 96.9060215, 42098: 97.9054082, 42100:
        99.907477, 43099: 98.9062547, 44096: 95.907598, 44098: 97.905287, 44099: 98.9059393, 44100:
        99.9042195, 44101: 100.9055821, 44102: 101.9043493, 44104: 103.905433, 45103: 102.905504,
        46102: 101.905609, 46104: 103.904036, 46105: 104.905085, 46106: 105.903486, 46108:
        107.903892, 46110: 109.905153, 47107: 106.905097, 47109: 108.904752, 48106: 105.906459,
        48108: 107.904184, 48110: 109.9030021, 48111: 110.9041781, 48112: 111.9027578, 48113:
        112.9044017, 48114: 113.9033585, 48116: 115.904756, 49111: 110.905103, 49113: 112.904058,
        49115: 114.903878, 50112: 111.904818, 50114: 113.902779, 50115: 114.903342, 50116:
        115.901741, 50117: 116.902952, 50118: 117.901603, 50119: 118.903308, 50120: 119.9021947,
        50122: 121.903439, 50124: 123.9052739, 51121: 120.9038157, 51123: 122.904214, 52120:
        119.90402, 52122: 121.9030439, 52123: 122.90427, 52124: 123.9028179, 52125: 124.9044307,
        52126: 125.9033117, 52128: 127.9044631, 52130: 129.9062244, 53123: 122.905589, 53124:
        123.9062099, 53125: 124.9046302, 53127: 126.904473, 53131: 130.9061246, 54124: 123.905893,
        54126: 125.904274, 54128: 127.9035313, 54129: 128.9047794, 54130: 129.903508, 54131:
        130.9050824, 54132: 131.9041535, 54134: 133.9053945, 54136: 135.907219, 55133: 132.9054519,
        55137: 136.9070895, 56130: 129.9063208, 56132: 131.9050613, 56134: 133.9045084, 56135:
        134.9056886, 56136: 135.9045759, 56137: 136.9058274, 56138: 137.9052472, 57138: 137.907112,
        57139: 138.9063533, 58136: 135.907172, 58138: 137.905991, 58140: 139.9054387, 58142:
        141.909244, 59141: 140.9076528, 60142: 141.9077233, 60143: 142.9098143, 60144: 143.9100873,
        60145: 144.9125736, 60146: 145.9131169, 60148: 147.916893, 60150: 149.920891, 62144:
        143.911999, 62147: 146.9148979, 62148: 147.9148227, 62149: 148.9171847, 62150: 149.9172755,
        62152: 151.9197324, 62154: 153.9222093, 63151: 150.9198502, 63153: 152.9212303, 64152:
        151.919791, 64154: 153.9208656, 64155: 154.922622, 64156: 155.9221227, 64157: 156.9239601,
        64158: 157.9241039, 64160: 159.9270541, 65159: 158.9253468, 66156: 155.924283, 66158:
        157.924409, 66160: 159.9251975, 66161: 160.9269334, 66162: 161.9267984, 66163: 162.9287312,
        66164: 163.9291748, 67165: 164.9303221, 68162: 161.928778, 68164: 163.9292, 68166:
        165.9302931, 68167: 166.9320482, 68168: 167.9323702, 68170: 169.9354643, 69169: 168.9342133,
        70168: 167.933897, 70170: 169.9347618, 70171: 170.9363258, 70172: 171.9363815, 70173:
        172.9382108, 70174: 173.9388621, 70176: 175.9425717, 71175: 174.9407718, 71176: 175.9426863,
        72174: 173.940046, 72176: 175.9414086, 72177: 176.9432207, 72178: 177.9436988, 72179:
        178.9458161, 72180: 179.94655, 73180: 179.9474648, 73181: 180.9479958, 74180: 179.946704,
        74182: 181.9482042, 74183: 182.950223, 74184: 183.9509312, 74186: 185.9543641, 75185:
        184.952955, 75187: 186.9557531, 76184: 183.9524891, 76186: 185.9538382, 76187: 186.9557505,
        76188: 187.9558382, 76189: 188.9581475, 76190: 189.958447, 76192: 191.9614807, 77191:
        190.960594, 77193: 192.9629264, 78190: 189.959932, 78192: 191.961038, 78194: 193.9626803,
        78195: 194.9647911, 78196: 195.9649515, 78198: 197.967893, 79197: 196.9665687, 80196:
        195.965833, 80198: 197.966769, 80199: 198.9682799, 80200: 199.968326, 80201: 200.9703023,
        80202: 201.970643, 80204: 203.9734939, 81201: 200.970819, 81203: 202.9723442, 81205:
        204.9744275, 82204: 203.9730436, 82206: 205.9744653, 82207: 206.9758969, 82208: 207.9766521,
        83209: 208.9803987, 88223: 223.0185022, 89225: 225.02323, 90232: 232.0380553, 91231:
        231.035884, 92234: 234.0409521, 92235: 235.0439299, 92238: 238.0507882, 94239: 239.0521634,
    ]
}
