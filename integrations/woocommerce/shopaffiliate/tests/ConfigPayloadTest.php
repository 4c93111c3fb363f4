<?php
/**
 * Tests for ShopAffiliate_Config_Payload.
 *
 * @package ShopAffiliate
 */

use PHPUnit\Framework\TestCase;

final class ConfigPayloadTest extends TestCase {

	const SECRET = 'abcdefghijklmnopqrstuvwxyz012345_-+/=';

	private function full(): array {
		return array(
			'shop_id'           => 42,
			'launch_secret'     => self::SECRET,
			'server_url'        => 'https://App.Example.com/',
			'workspace_slug'    => 'acme-shop',
			'cookie_days'       => 60,
			'attribution_model' => 'FirstClick',
			'consent_category'  => 'statistics',
			'future_field'      => 'ignored',
		);
	}

	public function test_full_payload_maps_to_normalised_options(): void {
		$result = ShopAffiliate_Config_Payload::validate( $this->full() );
		$this->assertSame( array(), $result['errors'] );
		$this->assertSame(
			array(
				'shopaffiliate_shop_id'          => '42',
				'shopaffiliate_launch_secret'    => self::SECRET,
				'shopaffiliate_server_url'       => 'https://app.example.com',
				'shopaffiliate_workspace_slug'   => 'acme-shop',
				'shopaffiliate_cookie_days'      => 60,
				'shopaffiliate_attribution'      => 'first_click',
				'shopaffiliate_consent_category' => 'statistics',
			),
			$result['options']
		);
	}

	public function test_partial_update_and_slug_clear(): void {
		$result = ShopAffiliate_Config_Payload::validate(
			array(
				'cookie_days'    => '7',
				'workspace_slug' => null,
			)
		);
		$this->assertSame( array(), $result['errors'] );
		$this->assertSame(
			array(
				'shopaffiliate_workspace_slug' => '',
				'shopaffiliate_cookie_days'    => 7,
			),
			$result['options']
		);
	}

	public function test_server_url_keeps_port_and_path(): void {
		$this->assertSame( 'http://localhost:5080', ShopAffiliate_Config_Payload::normalize_server_url( 'http://localhost:5080/' ) );
		$this->assertSame( 'https://example.com/affiliates', ShopAffiliate_Config_Payload::normalize_server_url( 'https://example.com/affiliates/' ) );
	}

	/**
	 * @dataProvider invalid_fields
	 */
	public function test_one_invalid_field_rejects_everything( string $field, $value ): void {
		$payload           = $this->full();
		$payload[ $field ] = $value;
		$result            = ShopAffiliate_Config_Payload::validate( $payload );
		$this->assertArrayHasKey( $field, $result['errors'] );
		$this->assertCount( 1, $result['errors'] );
		$this->assertSame( array(), $result['options'], 'nothing may be stored' );
	}

	public static function invalid_fields(): array {
		return array(
			'shop_id zero'            => array( 'shop_id', 0 ),
			'shop_id negative'        => array( 'shop_id', -5 ),
			'shop_id with space'      => array( 'shop_id', 'shop 1' ),
			'shop_id float'           => array( 'shop_id', 4.2 ),
			'shop_id null'            => array( 'shop_id', null ),
			'secret too short'        => array( 'launch_secret', str_repeat( 'a', 31 ) ),
			'secret with space'       => array( 'launch_secret', str_repeat( 'a', 32 ) . ' b' ),
			'secret not string'       => array( 'launch_secret', 12345678901234567890123456789012 ),
			'url javascript'          => array( 'server_url', 'javascript:alert(1)' ),
			'url ftp'                 => array( 'server_url', 'ftp://example.com' ),
			'url relative'            => array( 'server_url', '/portal' ),
			'url with credentials'    => array( 'server_url', 'https://user:pass@example.com' ),
			'url with query'          => array( 'server_url', 'https://example.com/?x=1' ),
			'url with fragment'       => array( 'server_url', 'https://example.com/#x' ),
			'url with quote'          => array( 'server_url', 'https://example.com/"onmouseover' ),
			'url bad host'            => array( 'server_url', 'https://exa_mple.com' ),
			'slug with slash'         => array( 'workspace_slug', 'acme/shop' ),
			'slug not string'         => array( 'workspace_slug', 5 ),
			'days zero'               => array( 'cookie_days', 0 ),
			'days too many'           => array( 'cookie_days', 366 ),
			'days float'              => array( 'cookie_days', 30.5 ),
			'days words'              => array( 'cookie_days', 'thirty' ),
			'model unknown'           => array( 'attribution_model', 'linear' ),
			'model wrong case'        => array( 'attribution_model', 'LAST_CLICK' ),
			'consent unknown'         => array( 'consent_category', 'advertising' ),
			'consent array'           => array( 'consent_category', array( 'marketing' ) ),
		);
	}

	public function test_non_object_bodies_are_rejected(): void {
		foreach ( array( null, 'x', 5, array( 'a', 'b' ) ) as $body ) {
			$result = ShopAffiliate_Config_Payload::validate( $body );
			$this->assertNotSame( array(), $result['errors'] );
			$this->assertSame( array(), $result['options'] );
		}
	}

	public function test_payload_without_known_fields_is_rejected(): void {
		foreach ( array( array(), array( 'something' => 'else' ) ) as $body ) {
			$result = ShopAffiliate_Config_Payload::validate( $body );
			$this->assertArrayHasKey( '', $result['errors'] );
			$this->assertSame( array(), $result['options'] );
		}
	}
}
