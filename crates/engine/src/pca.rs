//! Weights from principal components (COINr's `get_PCA`): the loadings of the first principal
//! component of the children's correlation matrix (`prcomp(center = TRUE, scale = TRUE)`), over
//! the units that have every child. The component's sign is arbitrary; it is turned so that the
//! loadings sum to a positive number, and a child left with a negative loading is an error —
//! it runs against the others, and a negative weight would reward doing worse.

use crate::error::EngineError;
use crate::stats;

/// Sweeps of the Jacobi method; a few suffice for the small matrices of one node.
const SWEEPS: usize = 100;

/// First-component loadings of the columns, to be scaled to sum 1 by the caller.
pub fn first_component_weights(columns: &[Vec<f64>], node: &str) -> Result<Vec<f64>, EngineError> {
    let k = columns.len();
    let m = columns.first().map_or(0, Vec::len);
    let complete: Vec<usize> = (0..m).filter(|&u| columns.iter().all(|c| !c[u].is_nan())).collect();
    if complete.len() < 3 {
        return Err(EngineError::parameter(node, "主成分法需要至少 3 个各下级都有值的单位"));
    }
    if k == 1 {
        return Ok(vec![1.0]);
    }
    let standardised: Vec<Vec<f64>> = columns
        .iter()
        .enumerate()
        .map(|(j, c)| {
            let xs: Vec<f64> = complete.iter().map(|&u| c[u]).collect();
            let (mean, sd) = (stats::mean(&xs), stats::sd(&xs));
            if sd.is_nan() || sd == 0.0 {
                return Err(EngineError::parameter(node, format!("主成分法：第 {} 个下级在这些单位上没有差异", j + 1)));
            }
            Ok(xs.into_iter().map(|x| (x - mean) / sd).collect())
        })
        .collect::<Result<_, _>>()?;
    let n = (complete.len() - 1) as f64;
    let mut r = vec![vec![0.0; k]; k];
    for a in 0..k {
        for b in a..k {
            let c: f64 = standardised[a].iter().zip(&standardised[b]).map(|(x, y)| x * y).sum::<f64>() / n;
            r[a][b] = c;
            r[b][a] = c;
        }
    }
    let (values, vectors) = jacobi(r);
    let top = (0..k).max_by(|&a, &b| values[a].total_cmp(&values[b])).unwrap_or(0);
    let mut w: Vec<f64> = (0..k).map(|i| vectors[i][top]).collect();
    if w.iter().sum::<f64>() < 0.0 {
        w.iter_mut().for_each(|x| *x = -*x);
    }
    if let Some(j) = w.iter().position(|x| *x < -1e-12) {
        return Err(EngineError::parameter(
            node,
            format!(
                "主成分法：第 {} 个下级的载荷为负（{:.3}），它与其他下级反向：请检查其方向，或换一种赋权方法",
                j + 1,
                w[j]
            ),
        ));
    }
    Ok(w.into_iter().map(|x| x.max(0.0)).collect())
}

/// Eigenvalues and eigenvectors (as columns) of a symmetric matrix by cyclic Jacobi rotations.
pub fn jacobi(mut a: Vec<Vec<f64>>) -> (Vec<f64>, Vec<Vec<f64>>) {
    let k = a.len();
    let mut v: Vec<Vec<f64>> = (0..k).map(|i| (0..k).map(|j| if i == j { 1.0 } else { 0.0 }).collect()).collect();
    for _ in 0..SWEEPS {
        let off: f64 = (0..k)
            .flat_map(|i| (0..k).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j].powi(2))
            .sum();
        if off < 1e-30 {
            break;
        }
        for p in 0..k {
            for q in p + 1..k {
                if a[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for row in a.iter_mut() {
                    let (arp, arq) = (row[p], row[q]);
                    row[p] = c * arp - s * arq;
                    row[q] = s * arp + c * arq;
                }
                let (ap, aq) = (a[p].clone(), a[q].clone());
                for (r, (apr, aqr)) in ap.into_iter().zip(aq).enumerate() {
                    a[p][r] = c * apr - s * aqr;
                    a[q][r] = s * apr + c * aqr;
                }
                for row in v.iter_mut() {
                    let (vp, vq) = (row[p], row[q]);
                    row[p] = c * vp - s * vq;
                    row[q] = s * vp + c * vq;
                }
            }
        }
    }
    ((0..k).map(|i| a[i][i]).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_satisfies_the_eigen_equation() {
        let m = vec![vec![1.0, 0.6, 0.3], vec![0.6, 1.0, 0.5], vec![0.3, 0.5, 1.0]];
        let (values, vectors) = jacobi(m.clone());
        for j in 0..3 {
            for i in 0..3 {
                let mv: f64 = (0..3).map(|l| m[i][l] * vectors[l][j]).sum();
                assert!((mv - values[j] * vectors[i][j]).abs() < 1e-12, "column {j}");
            }
        }
        assert!((values.iter().sum::<f64>() - 3.0).abs() < 1e-12, "trace is kept");
    }

    #[test]
    fn two_correlated_children_share_equally_and_a_contrary_one_is_refused() {
        // Any two positively correlated columns: the first component is (1, 1)/√2.
        let a = vec![1.0, 2.0, 3.0, 4.0, 6.0];
        let b = vec![2.0, 1.0, 4.0, 3.0, 5.0];
        let w = first_component_weights(&[a.clone(), b], "P").unwrap();
        assert!((w[0] - w[1]).abs() < 1e-12 && w[0] > 0.0, "{w:?}");
        // A third column running against the other two gets a negative loading.
        let c: Vec<f64> = a.iter().map(|x| -x).collect();
        let b = vec![1.5, 2.5, 2.9, 4.2, 5.0];
        let err = first_component_weights(&[a, b, c], "P").unwrap_err().to_string();
        assert!(err.contains("第 3 个下级的载荷为负"), "{err}");
    }
}
