//! The structure jili's SDMX-CSV refers to, as an SDMX-ML 3.0 structure message: the dataflow
//! `HUNAN_JILI:DF_JILI(1.0)`, its data structure definition (dimensions REF_AREA, INDICATOR,
//! TIME_PERIOD; measure OBS_VALUE, a decimal; attributes OBS_STATUS and UNIT_MEASURE per
//! observation), the concepts, and the codelists: REF_AREA from the division and park codes,
//! INDICATOR from the series catalogue, UNIT_MEASURE from the units of measure in use (see
//! [`jili_model::unit_measure`]) and SDMX's own CL_OBS_STATUS. With it a statistics client reads
//! the data typed and labelled instead of as strings. Names are Chinese (`xml:lang="zh"`), with
//! English where jili has it.

use crate::notice::docx::esc;
use crate::sdmx::{AGENCY, DATAFLOW_ID, DSD_ID, STRUCTURE_VERSION};
use jili_model::unit_measure::{is_sdmx_id, unit_measure_code, unit_measure_english};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The concept scheme's id.
pub const CONCEPTS_ID: &str = "CS_JILI";

/// SDMX's observation status codelist (agency SDMX, version 2.0): (code, 中文, English). jili
/// writes A for a 年报 (final) figure and P for a 快报 (preliminary) one; the others are listed
/// so that a reader knows the whole list the attribute draws from.
pub const OBS_STATUS: [(&str, &str, &str); 17] = [
    ("A", "正常值（年报、最终数）", "Normal value"),
    ("B", "时间序列断点", "Time series break"),
    ("D", "定义不同", "Definition differs"),
    ("E", "估计值", "Estimated value"),
    ("F", "预测值", "Forecast value"),
    ("G", "试验性数据", "Experimental value"),
    ("I", "插补值", "Imputed value (CCSA definition)"),
    ("O", "缺失值", "Missing value"),
    ("M", "缺失值：数据不可能存在", "Missing value; data cannot exist"),
    ("P", "初步值（快报）", "Provisional value"),
    ("S", "罢工及其他特殊事件", "Strike and other special events"),
    ("L", "缺失值：数据存在但未采集", "Missing value; data exist but were not collected"),
    ("H", "缺失值：节假日", "Missing value; holiday or weekend"),
    ("Q", "缺失值：已抑制", "Missing value; suppressed"),
    ("J", "豁免", "Derogation"),
    ("N", "不显著", "Not significant"),
    ("U", "可靠性低", "Low reliability"),
];

/// The concepts: (id, 中文, English).
const CONCEPTS: [(&str, &str, &str); 6] = [
    ("REF_AREA", "地区（评价对象）", "Reference area"),
    ("INDICATOR", "数据项", "Indicator"),
    ("TIME_PERIOD", "时期", "Time period"),
    ("OBS_VALUE", "数值", "Observation value"),
    ("OBS_STATUS", "数据状态", "Observation status"),
    ("UNIT_MEASURE", "计量单位", "Unit of measure"),
];

/// One code of REF_AREA: a division or park.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaCode {
    pub code: String,
    pub name: String,
    /// 地级市, 县, 国家级经开区 …
    pub kind: String,
    /// The parent's code; named in the description when the parent is itself in the codelist.
    pub parent: Option<String>,
}

/// One code of INDICATOR: a series of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorCode {
    pub code: String,
    pub name: String,
    /// The series' unit of measure in Chinese (亿元).
    pub unit: String,
    pub frequency: String,
    pub description: String,
}

/// What the structure message is made from; the caller (the app) reads it from the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructureInput {
    /// The message's `Prepared`, UTC ISO 8601 with `Z`.
    pub prepared: String,
    /// The programme's name, for the dataflow's description.
    pub title: String,
    pub areas: Vec<AreaCode>,
    pub indicators: Vec<IndicatorCode>,
}

/// The SDMX-ML 3.0 structure message. Codes that are not valid SDMX identifiers are left out
/// (jili's division, park and series codes all are).
pub fn structure_message(input: &StructureInput) -> String {
    let mut x = String::with_capacity(64 * 1024);
    // SDMX-ML 3.0's namespaces: message, structure, common.
    let ns = |part: &str| format!("http:{}{}{part}", '/', "/www.sdmx.org/resources/sdmxml/schemas/v3_0/");
    let _ = writeln!(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    let _ = writeln!(
        x,
        "<mes:Structure xmlns:mes=\"{}\" xmlns:str=\"{}\" xmlns:com=\"{}\">",
        ns("message"),
        ns("structure"),
        ns("common")
    );
    let _ = writeln!(
        x,
        "<mes:Header><mes:ID>JILI_STRUCTURE</mes:ID><mes:Test>false</mes:Test><mes:Prepared>{}</mes:Prepared>\
         <mes:Sender id=\"{AGENCY}\"><com:Name xml:lang=\"zh\">湖南省大抓落实工作激励措施评价系统（jili）</com:Name></mes:Sender></mes:Header>",
        esc(&input.prepared)
    );
    x.push_str("<mes:Structures>\n<str:Codelists>\n");
    codelists(&mut x, input);
    x.push_str("</str:Codelists>\n<str:ConceptSchemes>\n");
    open_maintainable(&mut x, "ConceptScheme", "conceptscheme.ConceptScheme", AGENCY, CONCEPTS_ID, STRUCTURE_VERSION);
    names(&mut x, "jili 数据的概念", Some("Concepts of jili's data"));
    for (id, zh, en) in CONCEPTS {
        let _ = write!(x, "<str:Concept id=\"{id}\">");
        names(&mut x, zh, Some(en));
        x.push_str("</str:Concept>\n");
    }
    x.push_str("</str:ConceptScheme>\n</str:ConceptSchemes>\n<str:Dataflows>\n");
    open_maintainable(&mut x, "Dataflow", "datastructure.Dataflow", AGENCY, DATAFLOW_ID, STRUCTURE_VERSION);
    names(&mut x, "主要指标数据", Some("Main indicator data"));
    let _ = write!(
        x,
        "<com:Description xml:lang=\"zh\">{}：已公布的主要指标数据（数据项 × 地区 × 时期）</com:Description>",
        esc(&input.title)
    );
    let _ = write!(x, "<str:Structure>{}</str:Structure>", urn("datastructure.DataStructure", AGENCY, DSD_ID, None));
    x.push_str("</str:Dataflow>\n</str:Dataflows>\n<str:DataStructures>\n");
    data_structure(&mut x);
    x.push_str("</str:DataStructures>\n</mes:Structures>\n</mes:Structure>\n");
    x
}

/// The four codelists.
fn codelists(x: &mut String, input: &StructureInput) {
    let areas: Vec<&AreaCode> = input.areas.iter().filter(|a| is_sdmx_id(&a.code)).collect();
    let present: BTreeSet<&str> = areas.iter().map(|a| a.code.as_str()).collect();
    open_maintainable(x, "Codelist", "codelist.Codelist", AGENCY, "CL_REF_AREA", STRUCTURE_VERSION);
    names(x, "地区（行政区划代码与园区代码）", Some("Reference areas (division and park codes)"));
    let name_of = |code: &str| areas.iter().find(|a| a.code == code).map(|a| a.name.as_str());
    for a in &areas {
        let _ = write!(x, "<str:Code id=\"{}\">", esc(&a.code));
        names(x, &a.name, None);
        // SDMX-ML 3.0's <str:Parent> takes only ids that begin with a letter, which division
        // codes do not: the parent is said in the description.
        let parent = a
            .parent
            .as_deref()
            .filter(|p| present.contains(p) && *p != a.code)
            .and_then(|p| name_of(p).map(|name| format!("；上级：{name}（{p}）")));
        let about = format!("{}{}", a.kind, parent.unwrap_or_default());
        let about = about.trim_start_matches('；');
        if !about.is_empty() {
            let _ = write!(x, "<com:Description xml:lang=\"zh\">{}</com:Description>", esc(about));
        }
        x.push_str("</str:Code>\n");
    }
    x.push_str("</str:Codelist>\n");

    let indicators: Vec<&IndicatorCode> = input.indicators.iter().filter(|s| is_sdmx_id(&s.code)).collect();
    open_maintainable(x, "Codelist", "codelist.Codelist", AGENCY, "CL_INDICATOR", STRUCTURE_VERSION);
    names(x, "数据项（数据项目录）", Some("Indicators (the series catalogue)"));
    for s in &indicators {
        let _ = write!(x, "<str:Code id=\"{}\">", esc(&s.code));
        names(x, &s.name, None);
        let about = format!("计量单位：{}；频率：{}。{}", s.unit, s.frequency, s.description);
        let _ = write!(x, "<com:Description xml:lang=\"zh\">{}</com:Description>", esc(about.trim()));
        x.push_str("</str:Code>\n");
    }
    x.push_str("</str:Codelist>\n");

    let units: BTreeSet<(String, &str)> = indicators
        .iter()
        .filter(|s| !s.unit.trim().is_empty())
        .map(|s| (unit_measure_code(&s.unit), s.unit.trim()))
        .collect();
    open_maintainable(x, "Codelist", "codelist.Codelist", AGENCY, "CL_UNIT_MEASURE", STRUCTURE_VERSION);
    names(x, "计量单位", Some("Units of measure"));
    for (code, unit) in &units {
        let _ = write!(x, "<str:Code id=\"{}\">", esc(code));
        names(x, unit, unit_measure_english(unit));
        x.push_str("</str:Code>\n");
    }
    x.push_str("</str:Codelist>\n");

    open_maintainable(x, "Codelist", "codelist.Codelist", "SDMX", "CL_OBS_STATUS", OBS_STATUS_VERSION);
    names(x, "数据状态", Some("Observation status"));
    for (code, zh, en) in OBS_STATUS {
        let _ = write!(x, "<str:Code id=\"{code}\">");
        names(x, zh, Some(en));
        x.push_str("</str:Code>\n");
    }
    x.push_str("</str:Codelist>\n");
}

/// The version of SDMX's CL_OBS_STATUS the attribute draws from.
pub const OBS_STATUS_VERSION: &str = "2.0";

/// The data structure definition.
fn data_structure(x: &mut String) {
    let concept = |id: &str| urn("conceptscheme.Concept", AGENCY, CONCEPTS_ID, Some(id));
    let coded = |agency: &str, id: &str, version: &str| {
        format!(
            "<str:LocalRepresentation><str:Enumeration>urn:sdmx:org.sdmx.infomodel.codelist.Codelist={agency}:{id}({version})</str:Enumeration></str:LocalRepresentation>"
        )
    };
    open_maintainable(x, "DataStructure", "datastructure.DataStructure", AGENCY, DSD_ID, STRUCTURE_VERSION);
    names(x, "主要指标数据的结构", Some("Structure of the main indicator data"));
    x.push_str("<str:DataStructureComponents>\n<str:DimensionList id=\"DimensionDescriptor\">\n");
    for (position, (id, list)) in [("REF_AREA", "CL_REF_AREA"), ("INDICATOR", "CL_INDICATOR")].into_iter().enumerate() {
        let _ = writeln!(
            x,
            "<str:Dimension id=\"{id}\" position=\"{}\"><str:ConceptIdentity>{}</str:ConceptIdentity>{}</str:Dimension>",
            position + 1,
            concept(id),
            coded(AGENCY, list, STRUCTURE_VERSION)
        );
    }
    let _ = writeln!(
        x,
        "<str:TimeDimension id=\"TIME_PERIOD\"><str:ConceptIdentity>{}</str:ConceptIdentity>\
         <str:LocalRepresentation><str:TextFormat textType=\"ObservationalTimePeriod\"/></str:LocalRepresentation></str:TimeDimension>",
        concept("TIME_PERIOD")
    );
    x.push_str("</str:DimensionList>\n<str:AttributeList id=\"AttributeDescriptor\">\n");
    for (id, agency, list, version) in [
        ("OBS_STATUS", "SDMX", "CL_OBS_STATUS", OBS_STATUS_VERSION),
        ("UNIT_MEASURE", AGENCY, "CL_UNIT_MEASURE", STRUCTURE_VERSION),
    ] {
        let _ = writeln!(
            x,
            "<str:Attribute id=\"{id}\" usage=\"optional\"><str:ConceptIdentity>{}</str:ConceptIdentity>{}\
             <str:AttributeRelationship><str:Observation/></str:AttributeRelationship></str:Attribute>",
            concept(id),
            coded(agency, list, version)
        );
    }
    let _ = writeln!(
        x,
        "</str:AttributeList>\n<str:MeasureList id=\"MeasureDescriptor\"><str:Measure id=\"OBS_VALUE\">\
         <str:ConceptIdentity>{}</str:ConceptIdentity><str:LocalRepresentation><str:TextFormat textType=\"Decimal\"/>\
         </str:LocalRepresentation></str:Measure></str:MeasureList>\n</str:DataStructureComponents>\n</str:DataStructure>",
        concept("OBS_VALUE")
    );
}

/// A maintainable artefact's opening tag.
fn open_maintainable(x: &mut String, tag: &str, class: &str, agency: &str, id: &str, version: &str) {
    let _ = write!(
        x,
        "<str:{tag} urn=\"{}\" isExternalReference=\"false\" agencyID=\"{agency}\" id=\"{id}\" version=\"{version}\">",
        urn_v(class, agency, id, version, None)
    );
}

/// The Chinese name, and the English one when there is one.
fn names(x: &mut String, zh: &str, en: Option<&str>) {
    let _ = write!(x, "<com:Name xml:lang=\"zh\">{}</com:Name>", esc(zh));
    if let Some(en) = en {
        let _ = write!(x, "<com:Name xml:lang=\"en\">{}</com:Name>", esc(en));
    }
}

/// The URN of one of jili's artefacts (version [`STRUCTURE_VERSION`]), or of an item in it.
fn urn(class: &str, agency: &str, id: &str, item: Option<&str>) -> String {
    urn_v(class, agency, id, STRUCTURE_VERSION, item)
}

fn urn_v(class: &str, agency: &str, id: &str, version: &str, item: Option<&str>) -> String {
    let item = item.map_or(String::new(), |i| format!(".{i}"));
    format!("urn:sdmx:org.sdmx.infomodel.{class}={agency}:{id}({version}){item}")
}

/// The name of the data file inside [`package`].
pub const PACKAGE_DATA: &str = "data.sdmx.csv";
/// The name of the structure message inside [`package`].
pub const PACKAGE_STRUCTURE: &str = "structure.xml";

/// SDMX-CSV data and its structure message in one zip (a fixed time stamp: the same content
/// gives the same bytes), with a short 说明.txt saying which is which.
pub fn package(data_csv: &str, structure_xml: &str) -> crate::Result<Vec<u8>> {
    use std::io::Write as _;
    let failed = |e: &dyn std::fmt::Display| crate::ReportError(format!("SDMX 数据包无法生成：{e}"));
    let readme = format!(
        "{PACKAGE_DATA}：SDMX-CSV 2.0 数据，STRUCTURE_ID 为数据流 {}。\r\n\
         {PACKAGE_STRUCTURE}：SDMX-ML 3.0 结构消息（数据流、数据结构定义、概念与代码表）。\r\n\
         时间为协调世界时（UTC）ISO 8601。\r\n",
        crate::sdmx::DATAFLOW
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, text) in [(PACKAGE_DATA, data_csv), (PACKAGE_STRUCTURE, structure_xml), ("说明.txt", &readme)] {
        zip.start_file(name, options).map_err(|e| failed(&e))?;
        zip.write_all(text.as_bytes()).map_err(|e| failed(&e))?;
    }
    Ok(zip.finish().map_err(|e| failed(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> StructureInput {
        let area = |code: &str, name: &str, kind: &str, parent: Option<&str>| AreaCode {
            code: code.into(),
            name: name.into(),
            kind: kind.into(),
            parent: parent.map(Into::into),
        };
        let series = |code: &str, name: &str, unit: &str| IndicatorCode {
            code: code.into(),
            name: name.into(),
            unit: unit.into(),
            frequency: "年".into(),
            description: "说明 <含尖括号> & 符号".into(),
        };
        StructureInput {
            prepared: "2026-12-07T23:00:00Z".into(),
            title: "2024年大抓落实工作激励措施".into(),
            areas: vec![
                area("430100", "长沙市", "地级市", Some("430000")),
                area("430102", "芙蓉区", "市辖区", Some("430100")),
                area("43 bad", "坏代码", "县", None),
            ],
            indicators: vec![
                series("GDP", "地区生产总值", "亿元"),
                series("RD", "研发强度", "%"),
                series("X", "吨价", "元/吨"),
            ],
        }
    }

    #[test]
    fn the_message_holds_every_artefact_the_csv_names() {
        let x = structure_message(&input());
        assert!(x.starts_with("<?xml") && x.trim_end().ends_with("</mes:Structure>"));
        for needle in [
            "<str:Dataflow urn=\"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=HUNAN_JILI:DF_JILI(1.0)\"",
            "<str:Structure>urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=HUNAN_JILI:DSD_JILI(1.0)</str:Structure>",
            "agencyID=\"HUNAN_JILI\" id=\"CL_REF_AREA\"",
            "agencyID=\"SDMX\" id=\"CL_OBS_STATUS\" version=\"2.0\"",
            "<str:TextFormat textType=\"Decimal\"/>",
            "<str:Code id=\"430100\"><com:Name xml:lang=\"zh\">长沙市</com:Name>",
            "<str:Code id=\"CNY_E8\"><com:Name xml:lang=\"zh\">亿元</com:Name><com:Name xml:lang=\"en\">100 million yuan</com:Name>",
            "<str:Code id=\"PC\">",
            "<str:Code id=\"P\"><com:Name xml:lang=\"zh\">初步值（快报）</com:Name>",
        ] {
            assert!(x.contains(needle), "missing {needle}");
        }
        assert_eq!(crate::sdmx::DATAFLOW, "HUNAN_JILI:DF_JILI(1.0)", "the CSV's STRUCTURE_ID names this dataflow");
    }

    #[test]
    fn codes_are_valid_ids_text_is_escaped_and_parents_named_when_listed() {
        let x = structure_message(&input());
        assert!(!x.contains("43 bad"), "an invalid id is left out");
        assert!(x.contains("&lt;含尖括号&gt; &amp; 符号") && !x.contains("<含尖括号>"));
        assert!(x.contains(">市辖区；上级：长沙市（430100）</com:Description>"), "芙蓉区 under 长沙市");
        assert!(x.contains(">地级市</com:Description>"), "the province is not in the list");
        assert!(!x.contains("<str:Parent>"), "SDMX-ML 3.0 refuses numeric parent ids");
        let unknown = unit_measure_code("元/吨");
        assert!(
            x.contains(&format!("<str:Code id=\"{unknown}\"><com:Name xml:lang=\"zh\">元/吨</com:Name></str:Code>"))
        );
        assert_eq!(x.matches("<str:Code id=\"CNY_E8\"").count(), 1, "a unit once however many series use it");
        assert_eq!(x.matches("<str:Codelist ").count(), 4);
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() {
        assert_eq!(structure_message(&input()), structure_message(&input()));
    }

    #[test]
    fn the_package_holds_the_data_and_its_structure() {
        use std::io::Read as _;
        let xml = structure_message(&input());
        let bytes = package("STRUCTURE,STRUCTURE_ID\n", &xml).expect("zips");
        assert_eq!(bytes, package("STRUCTURE,STRUCTURE_ID\n", &xml).expect("zips"), "same bytes");
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut read = |name: &str| {
            let mut s = String::new();
            z.by_name(name).expect(name).read_to_string(&mut s).expect("text");
            s
        };
        assert_eq!(read(PACKAGE_STRUCTURE), xml);
        assert_eq!(read(PACKAGE_DATA), "STRUCTURE,STRUCTURE_ID\n");
        assert!(read("说明.txt").contains("HUNAN_JILI:DF_JILI(1.0)"));
    }
}
