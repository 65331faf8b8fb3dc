//! Parameter groups of the AutoRest test server (`azure-parameter-grouping.json`,
//! `x-ms-parameter-grouping`): a struct per group, required when a member is (a positional
//! argument), else a builder method; a named group shared by two operations; a grouped constant.
//! One test per coverage key.

#[macro_use]
mod support;

use autorest_parameter_grouping::parameter_groups::{
    FirstParameterGroup, Grouper, ParameterGroupingPostMultiParamGroupsSecondParamGroup,
    ParameterGroupingPostOptionalParameters, ParameterGroupingPostRequiredParameters,
    ParameterGroupingPostReservedWordsParameters,
};
use autorest_parameter_grouping::runtime::Credential;
use autorest_parameter_grouping::Client;

fn client() -> Client {
    Client::with_options(Credential::none(), options!(autorest_parameter_grouping)).expect("client")
}

#[tokio::test]
async fn post_parameter_grouping_required_parameters() {
    let group = ParameterGroupingPostRequiredParameters {
        path: "path".into(),
        custom_header: Some("header".into()),
        query: Some(21),
    };
    client().parameter_grouping().post_required(&1234, &group).await.expect("the server accepts the group");
    // Optional members may be left out.
    let path_only = ParameterGroupingPostRequiredParameters { path: "path".into(), ..Default::default() };
    client().parameter_grouping().post_required(&1234, &path_only).await.expect("optional members left out");
}

#[tokio::test]
async fn post_parameter_grouping_optional_parameters() {
    client().parameter_grouping().post_optional().await.expect("no group at all");
    let group = ParameterGroupingPostOptionalParameters { custom_header: Some("header".into()), query: Some(21) };
    let call = client().parameter_grouping().post_optional().parameter_grouping_post_optional_parameters(&group);
    call.await.expect("the whole group");
}

#[tokio::test]
async fn post_parameter_grouping_with_reserved_words() {
    let group = ParameterGroupingPostReservedWordsParameters { from: Some("bob".into()), accept: Some("yes".into()) };
    let call = client().parameter_grouping().post_reserved_words().parameter_grouping_post_reserved_words_parameters(&group);
    call.await.expect("from=bob&accept=yes");
}

#[tokio::test]
async fn post_parameter_grouping_multiple_parameter_groups() {
    let first = FirstParameterGroup { header_one: Some("header".into()), query_one: Some(21) };
    let second = ParameterGroupingPostMultiParamGroupsSecondParamGroup { header_two: Some("header2".into()), query_two: Some(42) };
    let call = client()
        .parameter_grouping()
        .post_multi_param_groups()
        .first_parameter_group(&first)
        .parameter_grouping_post_multi_param_groups_second_param_group(&second);
    call.await.expect("two groups");
}

#[tokio::test]
async fn post_parameter_grouping_shared_parameter_group_object() {
    // `first-parameter-group` is one struct for both operations that name it.
    let first = FirstParameterGroup { header_one: Some("header".into()), query_one: None };
    client().parameter_grouping().post_shared_parameter_group_object().first_parameter_group(&first).await.expect("shared group");
}

#[tokio::test]
async fn put_parameter_grouping_constant() {
    // The grouped single-value enum is a constant, sent whether or not the group is.
    let grouper = Grouper { grouped_parameter: Some("bar".into()) };
    client().parameter_grouping().group_with_constant().grouper(&grouper).await.expect("groupedConstant: foo");
}
